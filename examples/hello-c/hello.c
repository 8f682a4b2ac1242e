/* A hello server in C that takes its listening socket from its supervisor, the systemd way
 * (sd_listen_fds): fd 3 when LISTEN_PID is our pid and LISTEN_FDS >= 1. Any supervisor that
 * speaks socket activation (cxpm, systemd) can run it; it never binds a port itself.
 *
 *   cxpm start build/examples/hello-fd3 -i 2 --port 8080 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int listen_fd(void) {
  const char* pid = getenv("LISTEN_PID");
  const char* fds = getenv("LISTEN_FDS");
  if (!pid || !fds || atol(pid) != (long)getpid() || atoi(fds) < 1) return -1;
  return 3;
}

int main(void) {
  int server = listen_fd();
  const char* instance = getenv("CXPM_INSTANCE");
  if (server < 0) {
    fprintf(stderr,
            "hello-fd3: no socket from the supervisor (LISTEN_FDS); start it with "
            "`cxpm start hello-fd3 -i 2 --port 8080`\n");
    return 1;
  }
  signal(SIGPIPE, SIG_IGN);
  printf("hello-fd3 %ld serving fd 3\n", (long)getpid());
  fflush(stdout);
  for (;;) {
    char request[4096];
    char body[128];
    char response[256];
    int client = accept(server, NULL, NULL);
    if (client < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      perror("accept");
      return 1;
    }
    /* Read the request head; a hello needs no more. */
    ssize_t got = 0, total = 0;
    while (total < (ssize_t)sizeof request - 1 &&
           (got = read(client, request + total, sizeof request - 1 - total)) > 0) {
      total += got;
      request[total] = '\0';
      if (strstr(request, "\r\n\r\n")) break;
    }
    int length = snprintf(body, sizeof body, "hello from pid %ld instance %s\n", (long)getpid(),
                          instance ? instance : "?");
    int size = snprintf(response, sizeof response,
                        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n"
                        "Connection: close\r\n\r\n%s",
                        length, body);
    if (write(client, response, (size_t)size) < 0) perror("write");
    close(client);
  }
}
