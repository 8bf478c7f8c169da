#define _GNU_SOURCE
/* The classic libevent/libev pipe benchmark against libev itself, for
 * comparison with evring's backends in the same run. N pipes, each with a
 * read watcher; A of them made active; each callback reads its byte and
 * writes one byte to the next pipe until W writes are done. Only the event
 * processing is timed. Usage: libev-bench <backend-flag> N A W rounds */
#include <ev.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static int n, active, writes_max, fired, writes;
static int *pipes;
static ev_io *watchers;

static void on_read(struct ev_loop *loop, ev_io *w, int revents) {
  (void)revents;
  int i = (int)(w - watchers);
  char c;
  if (read(pipes[2 * i], &c, 1) == 1) fired++;
  if (writes < writes_max) {
    int next = (i + 1) % n;
    if (write(pipes[2 * next + 1], "e", 1) == 1) writes++;
  }
  if (fired == writes_max + active) ev_break(loop, EVBREAK_ALL);
}

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv) {
  if (argc < 6) return 2;
  unsigned flags = (unsigned)atoi(argv[1]);
  n = atoi(argv[2]);
  active = atoi(argv[3]);
  writes_max = atoi(argv[4]);
  int rounds = atoi(argv[5]);
  struct ev_loop *loop = ev_loop_new(flags | EVFLAG_NOENV);
  if (!loop || !(ev_backend(loop) & flags)) {
    printf("unavailable\n");
    return 0;
  }
  pipes = calloc(2 * n, sizeof(int));
  watchers = calloc(n, sizeof(ev_io));
  for (int i = 0; i < n; i++) {
    if (pipe2(pipes + 2 * i, O_NONBLOCK) < 0) { perror("pipe2"); return 1; }
    ev_io_init(&watchers[i], on_read, pipes[2 * i], EV_READ);
    ev_io_start(loop, &watchers[i]);
  }
  int space = n / active;
  for (int r = 0; r < rounds; r++) {
    fired = writes = 0;
    double t0 = now_ns();
    for (int k = 0; k < active; k++) write(pipes[2 * ((k * space) % n) + 1], "e", 1);
    ev_run(loop, 0);
    double t1 = now_ns();
    printf("%.0f\n", t1 - t0);
  }
  return 0;
}
