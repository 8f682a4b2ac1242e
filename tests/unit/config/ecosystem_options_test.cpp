// Every app option, under pm2's names and aliases, with its accepted forms.
#include <doctest/doctest.h>

#include "cxpm/config/ecosystem.hpp"
#include "ecosystem_testing.hpp"

namespace cxpm {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;
using testing::parse_one;
using Strings = std::vector<std::string>;

std::string with_log_key(const char* key) {
  return std::string("script: a.js\n") + key + ": /tmp/x.log";
}

TEST_CASE("options: every option set at once") {
  const AppSpec spec = parse_one(R"(
apps:
  - name: api
    script: server.js
    args: [--port, 3000]
    interpreter: /usr/bin/node
    interpreter_args: --max-old-space-size=512
    cwd: api
    instances: -1
    exec_mode: cluster
    listen: ["127.0.0.1:3000", /run/api.sock]
    socket_mode: shared
    instance_var: INSTANCE_ID
    increment_var: WORKER_PORT
    env: {NODE_ENV: production}
    autorestart: false
    autostart: no
    max_restarts: 5
    min_uptime: 2s
    restart_delay: 250
    exp_backoff_restart_delay: 100ms
    stop_exit_codes: [0, 3]
    restart_budget: 20
    restart_budget_window: 1h
    kill_signal: SIGTERM
    kill_timeout: 5s
    treekill: false
    shutdown_with_message: true
    wait_ready: true
    listen_timeout: 1m
    out_file: logs/out.log
    error_file: /var/log/api.err
    log_file: logs/all.log
    merge_logs: true
    time: true
    log_date_format: YYYY-MM-DD HH:mm Z
    log_type: json
    max_size: 50M
    retain: 3
    watch: [src, config]
    ignore_watch: ["*.tmp", node_modules]
    watch_delay: 1.5s
    cron_restart: 0 3 * * *
    max_memory_restart: 300M
    uid: www-data
    gid: 33
)");
  CHECK(spec.name == "api");
  CHECK(spec.script == "server.js");
  CHECK(spec.args == Strings{"--port", "3000"});
  CHECK(spec.interpreter == "/usr/bin/node");
  CHECK(spec.interpreter_args == Strings{"--max-old-space-size=512"});
  CHECK(spec.cwd == "/srv/app/api");
  CHECK(spec.instances == -1);
  CHECK(spec.exec_mode == ExecMode::kCluster);
  CHECK(spec.listen == Strings{"127.0.0.1:3000", "/run/api.sock"});
  CHECK(spec.socket_mode == SocketMode::kShared);
  CHECK(spec.instance_var == "INSTANCE_ID");
  CHECK(spec.increment_var == "WORKER_PORT");
  CHECK(spec.env.at("NODE_ENV") == "production");
  CHECK_FALSE(spec.autorestart);
  CHECK_FALSE(spec.autostart);
  CHECK(spec.max_restarts == 5);
  CHECK(spec.min_uptime == seconds(2));
  CHECK(spec.restart_delay == milliseconds(250));
  CHECK(spec.exp_backoff_restart_delay == milliseconds(100));
  CHECK(spec.stop_exit_codes == std::vector<int>{0, 3});
  CHECK(spec.restart_budget == 20);
  CHECK(spec.restart_budget_window == hours(1));
  CHECK(spec.kill_signal == "SIGTERM");
  CHECK(spec.kill_timeout == seconds(5));
  CHECK_FALSE(spec.treekill);
  CHECK(spec.shutdown_with_message);
  CHECK(spec.wait_ready);
  CHECK(spec.listen_timeout == minutes(1));
  CHECK(spec.out_file == "/srv/app/api/logs/out.log");  // relative to the app's cwd, as pm2
  CHECK(spec.error_file == "/var/log/api.err");
  CHECK(spec.log_file == "/srv/app/api/logs/all.log");
  CHECK(spec.merge_logs);
  CHECK(spec.time);
  CHECK(spec.log_date_format == "YYYY-MM-DD HH:mm Z");
  CHECK(spec.log_type == "json");
  CHECK(spec.max_size == 50u * 1024 * 1024);
  CHECK(spec.retain == 3);
  CHECK(spec.watch == Strings{"/srv/app/api/src", "/srv/app/api/config"});
  CHECK(spec.ignore_watch == Strings{"*.tmp", "node_modules"});
  CHECK(spec.watch_delay == milliseconds(1500));
  CHECK(spec.cron_restart == "0 3 * * *");
  CHECK(spec.max_memory_restart == 300u * 1024 * 1024);
  CHECK(spec.uid == "www-data");
  CHECK(spec.gid == "33");
}

TEST_CASE("options: pm2's aliases mean the same option") {
  CHECK(parse_one("exec: a.js").script == "a.js");
  CHECK(parse_one("cmd: a.js").script == "a.js");
  CHECK(parse_one("command: ./run.sh --fast").script == "./run.sh --fast");
  CHECK(parse_one("script: a.js\nexec_interpreter: bun").interpreter == "bun");
  CHECK(parse_one("script: a.js\nnode_args: [--inspect]").interpreter_args == Strings{"--inspect"});
  CHECK(parse_one("script: a.js\ninterpreterArgs: --inspect").interpreter_args ==
        Strings{"--inspect"});
  for (const char* key : {"output", "out", "out_log"}) {
    CHECK(parse_one(with_log_key(key)).out_file == "/tmp/x.log");
  }
  for (const char* key : {"error", "err", "err_file", "err_log"}) {
    CHECK(parse_one(with_log_key(key)).error_file == "/tmp/x.log");
  }
  CHECK(parse_one(with_log_key("log")).log_file == "/tmp/x.log");
  CHECK(parse_one("script: a.js\ncombine_logs: true").merge_logs);
  CHECK(parse_one("script: a.js\ncron: '@daily'").cron_restart == "@daily");
  CHECK(parse_one("script: a.js\nuser: nobody").uid == "nobody");
}

TEST_CASE("options: pm2 keys without meaning for cxpm are accepted and ignored") {
  const AppSpec spec = parse_one(R"(
script: a.js
vizion: false
automation: false
pmx: false
source_map_support: true
disable_source_map_support: false
windowsHide: true
pid_file: /var/run/a.pid
)");
  CHECK(spec.name == "a");
}

TEST_CASE("options: instances") {
  CHECK(parse_one("script: a.js\ninstances: 4").instances == 4);
  CHECK(parse_one("script: a.js\ninstances: max").instances == 0);
  CHECK(parse_one("script: a.js\ninstances: MAX").instances == 0);
  CHECK(parse_one("script: a.js\ninstances: 0").instances == 0);
  CHECK(parse_one("script: a.js\ninstances: -2").instances == -2);
  CHECK(parse_one("script: a.js\ninstances: '3'").instances == 3);  // pm2 CLI habits
}

TEST_CASE("options: exec_mode accepts pm2's _mode spellings") {
  CHECK(parse_one("script: a.js\nexec_mode: fork").exec_mode == ExecMode::kFork);
  CHECK(parse_one("script: a.js\nexec_mode: fork_mode").exec_mode == ExecMode::kFork);
  CHECK(parse_one("script: a.js\nexec_mode: cluster_mode").exec_mode == ExecMode::kCluster);
}

TEST_CASE("options: listen takes one address or a list; socket_mode both words") {
  CHECK(parse_one("script: a.js\nlisten: 3000").listen == Strings{"3000"});
  CHECK(parse_one("script: a.js\nlisten: '[::1]:3000'").listen == Strings{"[::1]:3000"});
  CHECK(parse_one("script: a.js\nlisten: [3000, 0.0.0.0:3001]").listen ==
        Strings{"3000", "0.0.0.0:3001"});
  CHECK(parse_one("script: a.js\nsocket_mode: reuseport").socket_mode == SocketMode::kReuseport);
}

TEST_CASE("options: args and interpreter_args split a string as a shell would") {
  CHECK(parse_one(R"(script: a.js
args: --name "Ada Lovelace" --greeting 'hi there' plain\ space "q\"uote" '')")
            .args ==
        Strings{"--name", "Ada Lovelace", "--greeting", "hi there", "plain space", "q\"uote", ""});
  CHECK(parse_one("script: a.js\nargs: ''").args.empty());
  CHECK(parse_one("script: a.js\nargs: [-v, 2, true]").args == Strings{"-v", "2", "true"});
  CHECK(parse_one("script: a.js\ninterpreter_args: '--a --b=\"x y\"'").interpreter_args ==
        Strings{"--a", "--b=x y"});
}

TEST_CASE("options: booleans take YAML's words") {
  for (const char* word : {"true", "True", "yes", "on"}) {
    CHECK(parse_one(std::string("script: a.js\nwait_ready: ") + word).wait_ready);
  }
  for (const char* word : {"false", "FALSE", "no", "off"}) {
    CHECK_FALSE(parse_one(std::string("script: a.js\ntreekill: ") + word).treekill);
  }
}

TEST_CASE("options: durations and sizes take plain numbers or units") {
  CHECK(parse_one("script: a.js\nkill_timeout: 3000").kill_timeout == seconds(3));
  CHECK(parse_one("script: a.js\nkill_timeout: '3000'").kill_timeout == seconds(3));
  CHECK(parse_one("script: a.js\nmin_uptime: 1m").min_uptime == minutes(1));
  CHECK(parse_one("script: a.js\nmax_memory_restart: 1073741824").max_memory_restart ==
        1024u * 1024 * 1024);
  CHECK(parse_one("script: a.js\nmax_memory_restart: 1G").max_memory_restart ==
        1024u * 1024 * 1024);
  CHECK(parse_one("script: a.js\nmax_size: 512K").max_size == 512u * 1024);
}

TEST_CASE("options: stop_exit_codes takes one code or a list") {
  CHECK(parse_one("script: a.js\nstop_exit_codes: 0").stop_exit_codes == std::vector<int>{0});
  CHECK(parse_one("script: a.js\nstop_exit_codes: [0, 143]").stop_exit_codes ==
        std::vector<int>{0, 143});
}

TEST_CASE("options: kill_signal takes a name with or without SIG, or a number") {
  CHECK(parse_one("script: a.js\nkill_signal: SIGTERM").kill_signal == "SIGTERM");
  CHECK(parse_one("script: a.js\nkill_signal: TERM").kill_signal == "SIGTERM");
  CHECK(parse_one("script: a.js\nkill_signal: sigusr2").kill_signal == "SIGUSR2");
  CHECK(parse_one("script: a.js\nkill_signal: 15").kill_signal == "SIGTERM");
  CHECK(parse_one("script: a.js\nkill_signal: 1").kill_signal == "SIGHUP");
  CHECK(parse_one("script: a.js\nkill_signal: QUIT").kill_signal == "SIGQUIT");
}

TEST_CASE("options: log files") {
  // pm2's `log_file: true` asks for the combined log in its default place: a relative path,
  // which means relative to $CXPM_HOME/logs (every path given in the file becomes absolute).
  CHECK(parse_one("name: api\nscript: a.js\nlog_file: true").log_file == "api.log");
  CHECK(parse_one("script: a.js\nlog_file: false").log_file.empty());
  CHECK(parse_one("script: a.js\nout_file: 'NULL'").out_file == "/dev/null");  // pm2's word
  CHECK(parse_one("script: a.js\nerror_file: /dev/null").error_file == "/dev/null");
  CHECK(parse_one("script: a.js\nout_file: ~/logs/a.log").out_file == "/home/ada/logs/a.log");
  CHECK(parse_one("script: a.js\ncwd: /opt/a\nerror_file: ../e.log").error_file == "/opt/e.log");
}

TEST_CASE("options: watch is off, the cwd, one path or a list") {
  CHECK(parse_one("script: a.js\nwatch: false").watch.empty());
  CHECK(parse_one("script: a.js\nwatch: true").watch == Strings{"/srv/app"});
  CHECK(parse_one("script: a.js\ncwd: /opt/a\nwatch: true").watch == Strings{"/opt/a"});
  CHECK(parse_one("script: a.js\nwatch: lib").watch == Strings{"/srv/app/lib"});
  CHECK(parse_one("script: a.js\nwatch: [lib, /etc/a.conf]").watch ==
        Strings{"/srv/app/lib", "/etc/a.conf"});
  CHECK(parse_one("script: a.js\nignore_watch: '*.log'").ignore_watch == Strings{"*.log"});
}

TEST_CASE("options: cron_restart accepts what CronSchedule accepts") {
  CHECK(parse_one("script: a.js\ncron_restart: '*/15 * * * *'").cron_restart == "*/15 * * * *");
  CHECK(parse_one("script: a.js\ncron_restart: '0 0 3 * * mon-fri'").cron_restart ==
        "0 0 3 * * mon-fri");
  CHECK(parse_one("script: a.js\ncron_restart: ''").cron_restart.empty());
}

}  // namespace
}  // namespace cxpm
