/* The log-throughput app and its stopwatch, in C so that neither costs more than the
 * manager it measures.
 *
 *   logbench write LINES STAMP_FILE [stay]
 *       writes the wall-clock time (ns) to STAMP_FILE, then LINES lines of 80 bytes to
 *       stdout in 4000-byte writes (as C stdio would), then the line "END"; then exits,
 *       or with "stay" waits for a signal (so a manager's exit handling is not measured).
 *   logbench wait FILE TIMEOUT_MS STALL_MS
 *       waits until FILE ends with "END\n" and prints the wall-clock time (ns) it saw it.
 *       Exit 3 when FILE has not grown for STALL_MS (the manager lost the end), 1 after
 *       TIMEOUT_MS.
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
static void write_all(const char* data, size_t size) {
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

static int write_lines(long lines, const char* stamp_file, int stay) {
  FILE* stamp = fopen(stamp_file, "w");
  if (!stamp) {
    perror(stamp_file);
    return 1;
  }
  fprintf(stamp, "%lld\n", now_ns());
  fclose(stamp);

  static char buffer[kLineBytes * kLinesPerWrite];
  size_t used = 0;
  for (long i = 0; i < lines; i++) {
    char* line = buffer + used;
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
  if (stay) pause();
  return 0;
}

/* ends_with_marker: whether PATH ends with "END\n"; *size gets its size (-1: none). */
static int ends_with_marker(const char* path, long long* size) {
  *size = -1;
  int fd = open(path, O_RDONLY);
  if (fd < 0) return 0;
  char tail[4] = {0};
  struct stat st;
  int found = 0;
  if (fstat(fd, &st) == 0) {
    *size = st.st_size;
    found =
        st.st_size >= 4 && pread(fd, tail, 4, st.st_size - 4) == 4 && memcmp(tail, "END\n", 4) == 0;
  }
  close(fd);
  return found;
}

static int wait_for_marker(const char* path, long timeout_ms, long stall_ms) {
  long long start = now_ns(), last_growth = start, last_size = -1, size;
  const struct timespec pause = {0, 2 * 1000000}; /* 2 ms: fine enough, nearly free */
  while (!ends_with_marker(path, &size)) {
    long long now = now_ns();
    if (size != last_size) last_size = size, last_growth = now;
    if (now - last_growth > stall_ms * 1000000LL) {
      fprintf(stderr, "logbench: %s stopped growing without END\n", path);
      return 3;
    }
    if (now - start > timeout_ms * 1000000LL) {
      fprintf(stderr, "logbench: no END in %s after %ld ms\n", path, timeout_ms);
      return 1;
    }
    nanosleep(&pause, NULL);
  }
  printf("%lld\n", now_ns());
  return 0;
}

int main(int argc, char** argv) {
  if ((argc == 4 || argc == 5) && strcmp(argv[1], "write") == 0)
    return write_lines(atol(argv[2]), argv[3], argc == 5 && strcmp(argv[4], "stay") == 0);
  if (argc == 5 && strcmp(argv[1], "wait") == 0)
    return wait_for_marker(argv[2], atol(argv[3]), atol(argv[4]));
  fprintf(stderr,
          "usage: logbench write LINES STAMP_FILE [stay] | "
          "logbench wait FILE TIMEOUT_MS STALL_MS\n");
  return 2;
}
