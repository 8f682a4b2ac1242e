#include "cxpm/daemon/file_watch.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <vector>

#include "cxpm/core/watch_filter.hpp"
#include "cxpm/daemon/uv_handle.hpp"

namespace cxpm {
namespace {

bool is_directory(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

std::string join_path(const std::string& directory, std::string_view name) {
  // Appended, not "/" + name: GCC 12 at -O3 warns falsely (-Wrestrict, GCC bug 105329) on a
  // string literal prepended to a std::string.
  std::string path = directory;
  if (path != "/") path += '/';
  path += name;
  return path;
}

// The part of `path` below `root` ("src/app.js"); empty for the root itself.
std::string below(const std::string& path, const std::string& root) {
  if (path.size() <= root.size()) return {};
  return path.substr(root == "/" ? 1 : root.size() + 1);
}

}  // namespace

class FileWatch::AppWatch {
 public:
  static constexpr std::size_t kCountedChanges = 1000;

  AppWatch(uv_loop_t* loop, Supervisor& supervisor, LifecycleGate& gate, App& app)
      : loop_(loop),
        supervisor_(supervisor),
        gate_(gate),
        name_(app.spec.name),
        filter_(app.spec.ignore_watch),
        quiet_(std::max(app.spec.watch_delay, kMinimumQuiet)),
        debounce_(loop) {
    // Watching never keeps the daemon alive by itself: `kill` must still end its loop.
    debounce_.unref();
    // The app's own log files would restart it on every line it prints.
    for (const auto* path : {&app.spec.out_file, &app.spec.error_file, &app.spec.log_file}) {
      if (!path->empty()) own_files_.insert(*path);
    }
    roots_.reserve(app.spec.watch.size());
    for (const auto& path : app.spec.watch) add_root(app, path);
    spdlog::info("{}: watching {} (ignoring {}dotfiles and node_modules)", name_,
                 fmt::join(app.spec.watch, ", "),
                 app.spec.ignore_watch.empty()
                     ? std::string()
                     : fmt::format("{}, ", fmt::join(app.spec.ignore_watch, ", ")));
  }

  ~AppWatch() { *alive_ = false; }

 private:
  struct Root {
    std::string path;       // a directory, or the directory of a watched file
    std::string file_name;  // a watched file's name; empty when the root is a directory
  };

  struct Directory {
    AppWatch* owner = nullptr;
    std::size_t root = 0;
    std::string path;
    UvHandle<uv_fs_event_t> handle;
  };

  void add_root(App& app, const std::string& path) {
    if (is_directory(path)) {
      roots_.push_back({path, {}});
      watch_tree(path, roots_.size() - 1);
      return;
    }
    // A file is watched through its directory: editors save by writing a new file and
    // renaming it over the old one, which would end a watch on the file itself.
    const std::filesystem::path file(path);
    const std::string directory = file.parent_path().string();
    if (!is_directory(directory)) {
      for (auto& instance : app.instances) {
        supervisor_.record(*instance, "watch: " + path + " does not exist; not watched");
      }
      return;
    }
    roots_.push_back({directory, file.filename().string()});
    watch_directory(directory, roots_.size() - 1);
  }

  // Watches `top` and every directory under it that the filter does not ignore.
  void watch_tree(const std::string& top, std::size_t root) {
    std::vector<std::string> pending{top};
    while (!pending.empty()) {
      const std::string directory = std::move(pending.back());
      pending.pop_back();
      if (!watch_directory(directory, root)) return;
      std::error_code error;
      for (std::filesystem::directory_iterator it(directory, error), end; !error && it != end;
           it.increment(error)) {
        // Symlinks are not followed: a link to a parent would never end.
        if (it->is_symlink(error) || !it->is_directory(error)) continue;
        const std::string path = it->path().string();
        if (!filter_.ignores(below(path, roots_[root].path), path)) pending.push_back(path);
      }
    }
  }

  // False once the directory limit is reached.
  bool watch_directory(const std::string& path, std::size_t root) {
    if (directories_.contains(path)) return true;
    if (directories_.size() >= kMaxDirectories) {
      if (!warned_full_) {
        spdlog::warn(
            "{}: more than {} directories to watch; the rest are not watched (add "
            "them to ignore_watch)",
            name_, kMaxDirectories);
        if (App* app = supervisor_.find_app(name_)) {
          for (auto& instance : app->instances) {
            supervisor_.record(*instance, fmt::format("watch: over {} directories; the rest are "
                                                      "not watched (see ignore_watch)",
                                                      kMaxDirectories));
          }
        }
      }
      warned_full_ = true;
      return false;
    }
    auto directory = std::make_unique<Directory>();
    directory->owner = this;
    directory->root = root;
    directory->path = path;
    if (const int error = uv_fs_event_init(loop_, directory->handle.get()); error < 0) {
      spdlog::warn("{}: cannot watch {}: {}", name_, path, uv_strerror(error));
      return true;
    }
    directory->handle.mark_initialized();
    uv_unref(directory->handle.base());
    directory->handle.get()->data = directory.get();
    const int error = uv_fs_event_start(
        directory->handle.get(),
        [](uv_fs_event_t* handle, const char* file_name, int, int status) {
          auto* watched = static_cast<Directory*>(handle->data);
          watched->owner->on_event(*watched, file_name ? file_name : "", status);
        },
        path.c_str(), 0);
    if (error < 0) {
      spdlog::warn("{}: cannot watch {}: {}", name_, path, uv_strerror(error));
      return true;
    }
    directories_.emplace(path, std::move(directory));
    return true;
  }

  // Stops watching `path` and everything under it (it was removed or renamed away).
  void forget_tree(const std::string& path) {
    std::erase_if(directories_, [&](const auto& entry) {
      return entry.first == path || entry.first.starts_with(path + "/");
    });
  }

  void on_event(Directory& directory, const std::string& file_name, int status) {
    if (status < 0) {
      spdlog::warn("{}: watching {}: {}", name_, directory.path, uv_strerror(status));
      return;
    }
    const Root& root = roots_[directory.root];
    const std::string path =
        file_name.empty() ? directory.path : join_path(directory.path, file_name);
    if (own_files_.contains(path)) return;
    if (!root.file_name.empty()) {
      if (file_name == root.file_name) changed(file_name);
      return;
    }
    const std::string relative = below(path, root.path);
    if (filter_.ignores(relative, path)) return;
    if (!file_name.empty() && path != directory.path) {
      // New directories are watched with whatever they already hold; gone ones are let go.
      // (`directory` may be among those let go: it is not used after this.)
      if (is_directory(path)) {
        if (!directories_.contains(path)) watch_tree(path, directory.root);
      } else if (directories_.contains(path)) {
        forget_tree(path);
      }
    }
    changed(relative.empty() ? path : relative);
  }

  void changed(const std::string& what) {
    if (changed_.empty()) first_change_ = what;
    if (changed_.size() < kCountedChanges) changed_.insert(what);
    if (restarting_) {
      pending_ = true;
      return;
    }
    debounce_.start(quiet_, [this] { restart(); });
  }

  void restart() {
    if (!supervisor_.find_app(name_)) return;
    // Another operation (a deploy's restart, an operator's stop) holds the app: the changes
    // are kept and tried again once the app may be free.
    const bool ran =
        gate_.run_if_idle("watch restart", AppScope::of({name_}),
                          [this](LifecycleGate::Hold hold) { restart(std::move(hold)); });
    if (!ran) debounce_.start(quiet_, [this] { restart(); });
  }

  void restart(LifecycleGate::Hold hold) {
    App* app = supervisor_.find_app(name_);
    if (!app) return;
    const std::string what = changed_.size() == 1
                                 ? first_change_ + " changed"
                                 : fmt::format("{}{} files changed (first: {})",
                                               changed_.size() == kCountedChanges ? "over " : "",
                                               changed_.size(), first_change_);
    changed_.clear();
    first_change_.clear();
    std::vector<Instance*> instances;
    for (auto& instance : app->instances) {
      if (instance->status != Status::kStopped && instance->status != Status::kStopping) {
        instances.push_back(instance.get());
      }
    }
    if (instances.empty()) return;
    for (auto* instance : instances)
      supervisor_.record(*instance, "watch: " + what + "; restarting", "restart");
    restarting_ = true;
    supervisor_.restart(instances, [this, alive = alive_, hold = std::move(hold)] {
      hold.release();
      if (!*alive) return;
      restarting_ = false;
      // Changes made while the app restarted get a restart of their own.
      if (pending_) {
        pending_ = false;
        debounce_.start(quiet_, [this] { restart(); });
      }
    });
  }

  uv_loop_t* loop_;
  Supervisor& supervisor_;
  LifecycleGate& gate_;
  std::string name_;
  WatchFilter filter_;
  Milliseconds quiet_;
  std::set<std::string> own_files_;
  std::vector<Root> roots_;
  std::map<std::string, std::unique_ptr<Directory>> directories_;
  Timer debounce_;
  std::set<std::string> changed_;  // since the last restart, for its reason
  std::string first_change_;
  bool restarting_ = false;
  bool pending_ = false;
  bool warned_full_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

FileWatch::FileWatch(uv_loop_t* loop, Supervisor& supervisor, LifecycleGate& gate)
    : loop_(loop), supervisor_(supervisor), gate_(gate) {}

FileWatch::~FileWatch() = default;

void FileWatch::on_app_added(App& app) {
  if (app.spec.watch.empty()) return;
  watches_[app.spec.name] = std::make_unique<AppWatch>(loop_, supervisor_, gate_, app);
}

void FileWatch::on_app_removed(App& app) {
  watches_.erase(app.spec.name);
}

}  // namespace cxpm
