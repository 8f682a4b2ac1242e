/* cxpm's preload library for cluster workers (LD_PRELOAD).
 *
 * An unmodified server calls bind(fd, 0.0.0.0:3000) on a socket of its own. In a cluster
 * worker, that bind is answered instead by the daemon: it sends its listening socket for the
 * address (SCM_RIGHTS over the worker's broker channel, fd $CXPM_BROKER_FD) and this library
 * puts it in place of the app's socket with dup3. The app's listen() then finds the socket
 * already listening, which Linux allows. Every worker of the app gets the same socket (shared
 * mode) or its slot's SO_REUSEPORT socket (reuseport mode), so the kernel balances
 * connections and a restarting worker never makes the port refuse them.
 *
 * Only TCP binds to a non-zero port are redirected; anything else, or a daemon that cannot
 * be reached, falls through to the real bind(). Plain C and libc only: it lives inside
 * programs in any language. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

typedef int (*bind_function)(int, const struct sockaddr*, socklen_t);

static pthread_mutex_t broker_lock = PTHREAD_MUTEX_INITIALIZER;

static bind_function real_bind(void) {
  static bind_function function;
  if (!function) function = (bind_function)dlsym(RTLD_NEXT, "bind");
  return function;
}

static int broker_fd(void) {
  const char* text = getenv("CXPM_BROKER_FD");
  if (!text || !*text) return -1;
  char* end = NULL;
  long fd = strtol(text, &end, 10);
  if (*end != '\0' || fd < 0 || fcntl((int)fd, F_GETFD) < 0) return -1;
  return (int)fd;
}

/* "bind <host> <port>" for a TCP address with a port, or 0 when this bind is not ours. */
static int describe_address(int fd, const struct sockaddr* address, socklen_t length, char* request,
                            size_t size) {
  char host[INET6_ADDRSTRLEN];
  int port;
  int type = 0;
  socklen_t type_length = sizeof type;
  if (!address || getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &type_length) != 0 ||
      type != SOCK_STREAM) {
    return 0;
  }
  if (address->sa_family == AF_INET && length >= sizeof(struct sockaddr_in)) {
    const struct sockaddr_in* ipv4 = (const struct sockaddr_in*)address;
    port = ntohs(ipv4->sin_port);
    inet_ntop(AF_INET, &ipv4->sin_addr, host, sizeof host);
  } else if (address->sa_family == AF_INET6 && length >= sizeof(struct sockaddr_in6)) {
    const struct sockaddr_in6* ipv6 = (const struct sockaddr_in6*)address;
    port = ntohs(ipv6->sin6_port);
    inet_ntop(AF_INET6, &ipv6->sin6_addr, host, sizeof host);
  } else {
    return 0;
  }
  if (port == 0) return 0;
  snprintf(request, size, "bind %s %d", host, port);
  return 1;
}

/* Asks the daemon; returns its descriptor (>= 0), -1 for "use the real bind", or -2 with
 * errno set when the daemon refused (the address belongs to another app, say). */
static int ask_daemon(int channel, const char* request) {
  char reply[512];
  char control[CMSG_SPACE(sizeof(int))];
  struct iovec part = {reply, sizeof reply - 1};
  struct msghdr message;
  ssize_t got;
  int received = -1;
  struct cmsghdr* header;

  memset(&message, 0, sizeof message);
  message.msg_iov = &part;
  message.msg_iovlen = 1;
  message.msg_control = control;
  message.msg_controllen = sizeof control;

  pthread_mutex_lock(&broker_lock);
  if (send(channel, request, strlen(request), MSG_NOSIGNAL) < 0) {
    pthread_mutex_unlock(&broker_lock);
    return -1;
  }
  do {
    got = recvmsg(channel, &message, MSG_CMSG_CLOEXEC);
  } while (got < 0 && (errno == EINTR || errno == EAGAIN));
  pthread_mutex_unlock(&broker_lock);
  if (got <= 0) return -1;
  reply[got] = '\0';

  for (header = CMSG_FIRSTHDR(&message); header; header = CMSG_NXTHDR(&message, header)) {
    if (header->cmsg_level == SOL_SOCKET && header->cmsg_type == SCM_RIGHTS) {
      memcpy(&received, CMSG_DATA(header), sizeof received);
    }
  }
  if (strncmp(reply, "ok", 2) == 0 && received >= 0) return received;
  if (received >= 0) close(received);
  if (strncmp(reply, "error ", 6) == 0) {
    fprintf(stderr, "cxpm: %s\n", reply + 6);
    errno = EADDRINUSE;
    return -2;
  }
  return -1;
}

int bind(int fd, const struct sockaddr* address, socklen_t length) {
  char request[128];
  int channel = broker_fd();
  int shared, status_flags, descriptor_flags;

  if (channel < 0 || !describe_address(fd, address, length, request, sizeof request)) {
    return real_bind()(fd, address, length);
  }
  /* The broker channel uses non-blocking mode on the daemon's side only; blocking here is
   * what we want, so the answer is simply awaited. */
  status_flags = fcntl(fd, F_GETFL);
  descriptor_flags = fcntl(fd, F_GETFD);
  shared = ask_daemon(channel, request);
  if (shared == -2) return -1;
  if (shared < 0) return real_bind()(fd, address, length);
  /* Keep the app's view of its descriptor: O_NONBLOCK and close-on-exec as it set them. */
  if (dup3(shared, fd, (descriptor_flags & FD_CLOEXEC) ? O_CLOEXEC : 0) < 0) {
    int saved = errno;
    close(shared);
    errno = saved;
    return -1;
  }
  close(shared);
  if (status_flags >= 0) fcntl(fd, F_SETFL, status_flags);
  return 0;
}
