#include "cxpm/config/health_check.hpp"

#include <fmt/format.h>

#include <cctype>

#include "cxpm/core/parse_number.hpp"

namespace cxpm {
namespace {

std::optional<int> port_of(std::string_view text) {
  const auto port = parse_whole<int>(text);
  if (!port || *port < 1 || *port > 65535) return std::nullopt;
  return port;
}

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

}  // namespace

HealthKind health_kind(const AppSpec& spec) {
  if (!spec.health_http.empty()) return HealthKind::kHttp;
  if (!spec.health_tcp.empty()) return HealthKind::kTcp;
  if (!spec.health_exec.empty()) return HealthKind::kExec;
  return HealthKind::kNone;
}

std::optional<HostPort> parse_host_port(std::string_view text, std::string* error) {
  HostPort result;
  std::string_view rest;
  if (text.starts_with("[")) {
    const auto close = text.find(']');
    if (close == std::string_view::npos) {
      *error = "an IPv6 address in [] has no closing ]";
      return std::nullopt;
    }
    result.host = std::string(text.substr(1, close - 1));
    rest = text.substr(close + 1);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      *error = fmt::format("expected host:port, got \"{}\"", text);
      return std::nullopt;
    }
    result.host = std::string(text.substr(0, colon));
    rest = text.substr(colon);
  }
  if (result.host.empty() || !rest.starts_with(":")) {
    *error = fmt::format("expected host:port, got \"{}\"", text);
    return std::nullopt;
  }
  const auto port = port_of(rest.substr(1));
  if (!port) {
    *error = fmt::format("the port must be from 1 to 65535, got \"{}\"", rest.substr(1));
    return std::nullopt;
  }
  result.port = *port;
  return result;
}

std::optional<HttpTarget> parse_http_url(std::string_view url, std::string* error) {
  constexpr std::string_view kScheme = "http://";
  if (!url.starts_with(kScheme)) {
    *error = fmt::format("expected an http:// URL, got \"{}\"", url);
    return std::nullopt;
  }
  std::string_view rest = url.substr(kScheme.size());
  const auto slash = rest.find_first_of("/?");
  const std::string_view authority = rest.substr(0, slash);
  HttpTarget target;
  if (slash != std::string_view::npos) {
    target.path = std::string(rest.substr(slash));
    if (target.path.front() == '?') target.path.insert(0, "/");
  }
  if (authority.empty()) {
    *error = fmt::format("the URL \"{}\" has no host", url);
    return std::nullopt;
  }
  const bool has_port = authority.starts_with("[") ? authority.find("]:") != std::string_view::npos
                                                   : authority.find(':') != std::string_view::npos;
  if (has_port) {
    auto host_port = parse_host_port(authority, error);
    if (!host_port) return std::nullopt;
    target.host = std::move(host_port->host);
    target.port = host_port->port;
  } else if (authority.starts_with("[") && authority.ends_with("]")) {
    target.host = std::string(authority.substr(1, authority.size() - 2));
  } else {
    target.host = std::string(authority);
  }
  for (const char c : target.path) {
    if (std::isspace(static_cast<unsigned char>(c)) != 0 ||
        std::iscntrl(static_cast<unsigned char>(c)) != 0) {
      *error = fmt::format("the URL \"{}\" has a space or control character in its path", url);
      return std::nullopt;
    }
  }
  return target;
}

std::optional<StatusRange> parse_status_range(std::string_view text, std::string* error) {
  const auto dash = text.find('-');
  const auto low = parse_whole<int>(text.substr(0, dash));
  const auto high = dash == std::string_view::npos ? low : parse_whole<int>(text.substr(dash + 1));
  if (!low || !high || *low < 100 || *high > 599 || *low > *high) {
    *error = fmt::format(
        "expected a status like 200 or a range like 200-399 (100 to 599), got \"{}\"", text);
    return std::nullopt;
  }
  return StatusRange{*low, *high};
}

std::string expand_variables(std::string_view text,
                             const std::function<const std::string*(const std::string&)>& lookup) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '$' || i + 1 == text.size()) {
      out += text[i];
      continue;
    }
    if (text[i + 1] == '$') {
      out += '$';
      ++i;
      continue;
    }
    std::string name;
    std::size_t end = i + 1;
    if (text[end] == '{') {
      const auto close = text.find('}', end);
      if (close == std::string_view::npos) {
        out += text[i];
        continue;
      }
      name = std::string(text.substr(end + 1, close - end - 1));
      end = close + 1;
    } else {
      while (end < text.size() && is_name_char(text[end])) ++end;
      name = std::string(text.substr(i + 1, end - i - 1));
    }
    if (name.empty()) {
      out += text[i];
      continue;
    }
    if (const std::string* value = lookup(name)) out += *value;
    i = end - 1;
  }
  return out;
}

std::vector<std::string> health_exec_argv(const std::vector<std::string>& exec) {
  if (exec.size() == 1 && exec.front().find_first_of(" \t") != std::string::npos) {
    return {"/bin/sh", "-c", exec.front()};
  }
  return exec;
}

std::optional<std::string> health_check_problem(const AppSpec& spec) {
  const int kinds = static_cast<int>(!spec.health_http.empty()) +
                    static_cast<int>(!spec.health_tcp.empty()) +
                    static_cast<int>(!spec.health_exec.empty());
  if (kinds > 1) return "health check: give one of health_http, health_tcp and health_exec";
  std::string error;
  // Variables are the instance's, known at each probe: a placeholder stands for them here.
  const std::string placeholder = "1";
  const auto any = [&placeholder](const std::string&) { return &placeholder; };
  if (!spec.health_http.empty() &&
      !parse_http_url(expand_variables(spec.health_http, any), &error)) {
    return "health_http: " + error;
  }
  if (!spec.health_tcp.empty() &&
      !parse_host_port(expand_variables(spec.health_tcp, any), &error)) {
    return "health_tcp: " + error;
  }
  if (!parse_status_range(spec.health_status, &error)) return "health_status: " + error;
  if (kinds == 1 && spec.health_interval.count() <= 0) {
    return "health_interval: must be more than 0";
  }
  if (kinds == 1 && spec.health_timeout.count() <= 0) return "health_timeout: must be more than 0";
  return std::nullopt;
}

}  // namespace cxpm
