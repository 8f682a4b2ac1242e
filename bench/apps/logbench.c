/* The log-throughput app and its stopwatch, in C so that neither costs more than the
 * manager it measures.
 *
 *   logbench write LINES STAMP_FILE   writes the wall-clock time (ns) to STAMP_FILE, then
 *                                     LINES lines of 80 bytes to stdout in 4000-byte
 *                                     writes (as C stdio would), then the line "END".
 *   logbench wait FILE TIMEOUT_MS     waits until FILE ends with "END\n" and prints the
 *                                     wall-clock time (ns) it saw it; exit 1 on timeout.
 *
 * Each line is a 9-digit sequence number, a space and 69 'x': lost, cut or mixed lines
 * show as lines that lack the full filler. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { kLineBytes = 80, kLinesPerWrite = 50 };

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* write_all: the whole buffer, also when the manager gave us a non-blocking pipe. */
static void write_all(const char *data, size_t size) {
  while (size > 0) {
    ssize_t n = write(STDOUT_FILENO, data, size);
    if (n < 0 && errno == EAGAIN) {
      struct pollfd pfd = {.fd = STDOUT_FILENO, .events = POLLOUT};
      poll(&pfd, 1, 100);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      perror("logbench: write");
      exit(1);
    }
    data += n;
    size -= (size_t)n;
  }
}

static int write_lines(long lines, const char *stamp_file) {
  FILE *stamp = fopen(stamp_file, "w");
  if (!stamp) {
    perror(stamp_file);
    return 1;
  }
  fprintf(stamp, "%lld\n", now_ns());
  fclose(stamp);

  static char buffer[kLineBytes * kLinesPerWrite];
  size_t used = 0;
  for (long i = 0; i < lines; i++) {
    char *line = buffer + used;
    snprintf(line, kLineBytes, "%09ld ", i);
    memset(line + 10, 'x', kLineBytes - 11);
    line[kLineBytes - 1] = '\n';
    used += kLineBytes;
    if (used == sizeof buffer) {
      write_all(buffer, used);
      used = 0;
    }
  }
  write_all(buffer, used);
  write_all("END\n", 4);
  return 0;
}

static int ends_with_marker(const char *path) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return 0;
  char tail[4] = {0};
  struct stat st;
  int found = fstat(fd, &st) == 0 && st.st_size >= 4 &&
              pread(fd, tail, 4, st.st_size - 4) == 4 && memcmp(tail, "END\n", 4) == 0;
  close(fd);
  return found;
}

static int wait_for_marker(const char *path, long timeout_ms) {
  long long deadline = now_ns() + timeout_ms * 1000000LL;
  const struct timespec pause = {0, 2 * 1000000}; /* 2 ms: fine enough, nearly free */
  while (!ends_with_marker(path)) {
    if (now_ns() > deadline) {
      fprintf(stderr, "logbench: no END in %s after %ld ms\n", path, timeout_ms);
      return 1;
    }
    nanosleep(&pause, NULL);
  }
  printf("%lld\n", now_ns());
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 4 && strcmp(argv[1], "write") == 0) return write_lines(atol(argv[2]), argv[3]);
  if (argc == 4 && strcmp(argv[1], "wait") == 0) return wait_for_marker(argv[2], atol(argv[3]));
  fprintf(stderr, "usage: logbench write LINES STAMP_FILE | logbench wait FILE TIMEOUT_MS\n");
  return 2;
}
