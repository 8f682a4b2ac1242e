#include "cxpm/config/app_environment.hpp"

#include <stdexcept>

namespace cxpm {

const std::string* AppEnvironment::lookup(const std::string& name) const {
  if (auto own = own_.find(name); own != own_.end()) return &own->second;
  if (base_) {
    if (auto shared = base_->find(name); shared != base_->end()) return &shared->second;
  }
  return nullptr;
}

const std::string& AppEnvironment::at(const std::string& name) const {
  if (const std::string* value = lookup(name)) return *value;
  throw std::out_of_range("no variable " + name + " in the app's environment");
}

std::string& AppEnvironment::operator[](const std::string& name) {
  auto [entry, inserted] = own_.try_emplace(name);
  if (inserted && base_) {
    if (auto shared = base_->find(name); shared != base_->end()) entry->second = shared->second;
  }
  return entry->second;
}

bool AppEnvironment::sets(const std::string& name) const {
  auto own = own_.find(name);
  if (own == own_.end()) return false;
  if (!base_) return true;
  auto shared = base_->find(name);
  return shared == base_->end() || shared->second != own->second;
}

Environment AppEnvironment::merged() const {
  if (!base_) return own_;
  Environment out = *base_;
  for (const auto& [name, value] : own_) out.insert_or_assign(name, value);
  return out;
}

bool AppEnvironment::operator==(const AppEnvironment& other) const {
  if (base_ == other.base_ && own_ == other.own_) return true;
  return merged() == other.merged();
}

}  // namespace cxpm
