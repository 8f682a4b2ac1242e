#pragma once
// jlist and prettylist: every instance as an object in cxpm's shape and pm2's
// (protocol/pm2_shape.hpp), as JSON or in Node's util.inspect notation as `pm2 prettylist`
// prints it (`status: 'online'`, `restart_time: 1`), which scripts grep.

#include <string>

#include "cxpm/protocol/message.hpp"

namespace cxpm {

class Client;

// The array `cxpm jlist` prints.
Json jlist_json(Client& client);

// `value` as Node's util.inspect writes it: unquoted keys where they are identifiers, strings
// in single quotes, nested objects indented by two spaces.
std::string inspect_notation(const Json& value);

}  // namespace cxpm
