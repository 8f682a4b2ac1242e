#pragma once
// An app's environment in two layers: a base shared by every app one command started (the
// caller's environment, the same for all of them) and the app's own variables on top. A file
// of 10,000 apps then holds the caller's environment once, in the CLI, on the wire and in the
// daemon, instead of 10,000 copies of it.

#include <map>
#include <memory>
#include <string>

namespace cxpm {

using Environment = std::map<std::string, std::string>;

class AppEnvironment {
 public:
  using Base = std::shared_ptr<const Environment>;

  AppEnvironment() = default;
  // A plain map is an environment with no shared base (implicit: specs are often written so).
  AppEnvironment(Environment own) : own_(std::move(own)) {}  // NOLINT(google-explicit-constructor)
  explicit AppEnvironment(Base base, Environment own = {})
      : base_(std::move(base)), own_(std::move(own)) {}

  // The value of `name`, the app's own over the base; nullptr when unset.
  const std::string* lookup(const std::string& name) const;
  // Like std::map: at() throws std::out_of_range, count() is 0 or 1.
  const std::string& at(const std::string& name) const;
  std::size_t count(const std::string& name) const { return lookup(name) ? 1 : 0; }
  // Sets one of the app's own variables (the base is never changed: other apps share it),
  // starting from its current value, as std::map's operator[] does.
  std::string& operator[](const std::string& name);

  // Both layers as one map: what the app's process gets.
  Environment merged() const;
  // Spawning and describing want a plain map; the copy is made only then.
  operator Environment() const { return merged(); }  // NOLINT(google-explicit-constructor)

  // Whether the app itself sets `name`: its own layer has it with a value other than the
  // base's. A copy of the inherited value (as `restart --update-env` merges the caller's
  // environment in) is not the app's choice.
  bool sets(const std::string& name) const;

  const Base& base() const { return base_; }
  const Environment& own() const { return own_; }

  // Equal when the app would get the same variables, however they are layered.
  bool operator==(const AppEnvironment& other) const;

 private:
  Base base_;
  Environment own_;
};

}  // namespace cxpm
