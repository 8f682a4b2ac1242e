#include "cxpm/protocol/update.hpp"

#include "cxpm/protocol/args.hpp"

namespace cxpm {

Json to_json(const UpdateArgs& args) {
  Json out{{"binary", args.binary}};
  put_queue_wait(out, args);
  return out;
}

void from_json(const ArgsReader& reader, UpdateArgs& out) {
  read_queue_wait(reader, out);
  out.binary = reader.string("binary");
  if (out.binary.empty() || out.binary.front() != '/') {
    throw ArgsError("args.binary: an absolute path is needed");
  }
}

Json to_json(const UpdateResult& result) {
  return Json{{"pid", result.pid}, {"binary", result.binary}};
}

void from_json(const ArgsReader& reader, UpdateResult& out) {
  out.pid = static_cast<int>(reader.integer("pid"));
  out.binary = reader.string("binary");
}

}  // namespace cxpm
