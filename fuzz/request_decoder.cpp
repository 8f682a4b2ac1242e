// What the daemon does with the bytes a client sends: LineFramer cuts them into frames, each
// frame is decoded into a Request (or the error reply to send), and the arguments are read as
// the commands read them. Besides crashes, sanitizer reports and hangs, it checks that
// framing does not depend on how the bytes arrive, that what was decoded survives being
// encoded again, and that every app spec the daemon accepts survives its own encoding.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cxpm/protocol/app_spec_json.hpp"
#include "cxpm/protocol/args.hpp"
#include "cxpm/protocol/framing.hpp"
#include "cxpm/protocol/message.hpp"
#include "cxpm/protocol/methods.hpp"
#include "input.hpp"

namespace {

using namespace cxpm;

struct Frames {
  std::vector<std::string> lines;
  bool overflowed = false;

  bool operator==(const Frames&) const = default;
};

Frames frame(const std::vector<std::string_view>& chunks, std::size_t max_frame) {
  LineFramer framer(max_frame);
  Frames frames;
  for (const auto chunk : chunks) {
    framer.feed(chunk);
    while (auto line = framer.next()) frames.lines.push_back(std::move(*line));
  }
  frames.overflowed = framer.overflowed();
  return frames;
}

// The documented framing: lines end at '\n', a trailing '\r' is dropped, and the first frame
// over the limit (an unfinished one too) ends the stream.
Frames expected_frames(std::string_view text, std::size_t max_frame) {
  Frames frames;
  while (true) {
    const auto newline = text.find('\n');
    if ((newline == std::string_view::npos ? text.size() : newline) > max_frame) {
      frames.overflowed = true;
      return frames;
    }
    if (newline == std::string_view::npos) return frames;
    std::string line(text.substr(0, newline));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    frames.lines.push_back(std::move(line));
    text.remove_prefix(newline + 1);
  }
}

// The arguments as each method reads them (protocol/methods.hpp), whichever the method; what
// was accepted, encoded again (the CLI's side), reads back the same.
template <typename M>
void read_as(const Request& request) {
  try {
    const auto args = decode<typename M::Args>(request.args, "args");
    if (decode<typename M::Args>(Json::parse(to_json(args).dump()), "args") != args) {
      const std::string what =
          "accepted " + std::string(M::kName) + " arguments changed through to_json and back";
      fuzz::broken(what.c_str());
    }
  } catch (const ArgsError&) {
    // The client gets invalid_args naming the field; nothing else happens.
  }
}

void read_arguments(const Request& request) {
  read_as<method::Describe>(request);
  read_as<method::Start>(request);
  read_as<method::Restart>(request);
  read_as<method::Reload>(request);
  read_as<method::Scale>(request);
  read_as<method::Logs>(request);
  read_as<method::Flush>(request);
  read_as<method::SendSignal>(request);
  try {
    for (const auto& reader : ArgsReader(request.args, "args").objects("apps")) {
      const AppSpec spec = app_spec_from_json(reader);
      // `describe` sends the spec back, and `restart` with apps sends it in again.
      if (app_spec_from_json(ArgsReader(to_json(spec), "spec")) != spec) {
        fuzz::broken("an accepted app spec changed through to_json and back");
      }
    }
  } catch (const ArgsError&) {
  }
}

void check_request(const Request& request) {
  read_arguments(request);
  const std::string again = encode(request);
  if (again.empty() || again.back() != '\n' || again.find('\n') != again.size() - 1) {
    fuzz::broken("an encoded request is not exactly one line");
  }
  auto decoded = decode_request(std::string_view(again).substr(0, again.size() - 1));
  const auto* same = std::get_if<Request>(&decoded);
  if (!same) fuzz::broken("a decoded request, encoded again, no longer decodes");
  if (same->id != request.id || same->method != request.method || same->args != request.args) {
    fuzz::broken("a decoded request changed through encode and decode");
  }
}

void check_refusal(const Reply& reply) {
  if (reply.ok()) fuzz::broken("decode_request returned a reply that is not an error");
  if (reply.error().code.empty() || reply.error().message.empty()) {
    fuzz::broken("an error reply without a code or a message");
  }
  // The client must be able to read the refusal.
  const std::string line = encode(reply);
  auto decoded = decode_reply(std::string_view(line).substr(0, line.size() - 1));
  const auto* back = std::get_if<Reply>(&decoded);
  if (!back || back->ok() || back->error().code != reply.error().code || back->id != reply.id) {
    fuzz::broken("an error reply does not read back as the same error");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::as_text(data, size);
  const std::uint64_t seed = fuzz::fingerprint(text);

  // A small limit too, so that refusing oversized frames is exercised at these input sizes.
  const std::size_t small_limit = 1 + seed % 512;
  const Frames limited = frame(fuzz::chunks_of(text, seed), small_limit);
  if (limited != expected_frames(text, small_limit)) {
    fuzz::broken("framing with a small limit depends on how the bytes arrived");
  }

  const Frames frames = frame(fuzz::chunks_of(text, seed >> 7), kMaxFrameBytes);
  if (frames != frame({text}, kMaxFrameBytes)) {
    fuzz::broken("framing depends on how the bytes arrived");
  }
  for (const auto& line : frames.lines) {
    auto decoded = decode_request(line);
    if (const auto* request = std::get_if<Request>(&decoded)) {
      check_request(*request);
    } else {
      check_refusal(std::get<Reply>(decoded));
    }
  }
  return 0;
}
