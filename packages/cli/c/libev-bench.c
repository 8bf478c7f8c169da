#define _GNU_SOURCE
/* The classic libevent/libev pipe benchmark run on libev itself, so that
 * `evring bench` can put libev in C beside evring in one run.
 *
 * N fds, each with a read watcher; A of them made active; each callback reads
 * its byte and writes one byte to the fd that wakes the next watcher, until W
 * writes are done. Only the event processing is timed; one line per round.
 *
 * Usage: libev-bench <backend-flag> <pipe|socketpair> N A W rounds [threaded]
 * With socketpair, N/2 pairs are watched at both ends (N fds, not 2N).
 * With `threaded`, a second thread sleeps through the run. Every Node process
 * has such threads, and they make each fd syscall dearer: once a process's
 * file table is shared, the kernel must count references on every fd lookup
 * (fdget's single-threaded shortcut is gone). The threaded rows show libev
 * paying what evring pays for living in Node. */
#include <ev.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int n, active, writes_max, fired, writes;
static int *readfd, *wakefd; /* wakefd[i]: writing here makes readfd[i] readable */
static ev_io *watchers;

static void on_read(struct ev_loop *loop, ev_io *w, int revents) {
  (void)revents;
  int i = (int)(w - watchers);
  char c;
  if (read(readfd[i], &c, 1) == 1) fired++;
  if (writes < writes_max && write(wakefd[(i + 1) % n], "e", 1) == 1) writes++;
  if (fired == writes_max + active) ev_break(loop, EVBREAK_ALL);
}

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int make_fds(int socketpairs) {
  for (int i = 0; i < n; i += socketpairs ? 2 : 1) {
    int fds[2];
    int rc = socketpairs ? socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds)
                         : pipe2(fds, O_NONBLOCK);
    if (rc < 0) return -1;
    if (socketpairs) {
      readfd[i] = fds[0], wakefd[i] = fds[1];
      readfd[i + 1] = fds[1], wakefd[i + 1] = fds[0];
    } else {
      readfd[i] = fds[0], wakefd[i] = fds[1];
    }
  }
  return 0;
}

static void *sleeper(void *arg) {
  (void)arg;
  for (;;) pause();
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 7) {
    fprintf(stderr, "usage: libev-bench flag pipe|socketpair N A W rounds [threaded]\n");
    return 2;
  }
  unsigned flags = (unsigned)atoi(argv[1]);
  int socketpairs = strcmp(argv[2], "socketpair") == 0;
  n = atoi(argv[3]);
  active = atoi(argv[4]);
  writes_max = atoi(argv[5]);
  int rounds = atoi(argv[6]);
  if (n < 2 || active < 1 || active > n || (socketpairs && n % 2)) return 2;
  pthread_t thread;
  if (argc > 7 && strcmp(argv[7], "threaded") == 0 && pthread_create(&thread, NULL, sleeper, NULL) != 0) {
    perror("pthread_create");
    return 1;
  }
  struct ev_loop *loop = ev_loop_new(flags | EVFLAG_NOENV);
  if (!loop || !(ev_backend(loop) & flags)) {
    printf("unavailable\n");
    return 0;
  }
  readfd = calloc(n, sizeof(int));
  wakefd = calloc(n, sizeof(int));
  watchers = calloc(n, sizeof(ev_io));
  if (make_fds(socketpairs) < 0) {
    perror("creating fds");
    return 1;
  }
  for (int i = 0; i < n; i++) {
    ev_io_init(&watchers[i], on_read, readfd[i], EV_READ);
    ev_io_start(loop, &watchers[i]);
  }
  int space = n / active;
  for (int r = 0; r < rounds; r++) {
    fired = writes = 0;
    double t0 = now_ns();
    for (int k = 0; k < active; k++) write(wakefd[(k * space) % n], "e", 1);
    ev_run(loop, 0);
    printf("%.0f\n", now_ns() - t0);
  }
  return 0;
}
