// An ordinary Node server: it listens on PORT (default 3000) and knows nothing of cxpm.
// `cxpm start server.js -i max` clusters it all the same: the daemon hands every worker its
// socket for that port when the worker binds it.
const http = require('http');

const port = Number(process.env.PORT || 3000);
const instance = process.env.NODE_APP_INSTANCE;

http
  .createServer((req, res) => {
    res.end(`hello from pid ${process.pid} instance ${instance}\n`);
  })
  .listen(port, () => console.log(`listening on ${port} (pid ${process.pid})`));
