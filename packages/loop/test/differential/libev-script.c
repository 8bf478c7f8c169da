#define _GNU_SOURCE
/*
 * The differential test's script (script.ts, toLines) played on libev
 * itself: reads the script from stdin, prints one line per callback
 * invocation ("C id revents") between "R" and "E" for each run step.
 * Built and run by libev-runner.ts when libev is installed (libev-dev).
 */
#include <ev.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

enum { KIND_IO, KIND_TIMER, KIND_IDLE, KIND_PREPARE, KIND_CHECK };
enum { ACT_NONE, ACT_DRAIN, ACT_STOP, ACT_WRITE, ACT_START, ACT_STOPOTHER };

struct watcher {
  int kind, id, chan, end;
  int act, a1, a2, a3;
  union {
    ev_io io;
    ev_timer timer;
    ev_idle idle;
    ev_prepare prepare;
    ev_check check;
  } w;
};

static struct ev_loop *loop;
static int chans[16][2];
static char chan_kind[16][8];
static struct watcher ws[64];
static int nchans, nws;
static char scratch[65536];

static int fd_of(int chan, int end) { return chans[chan][end]; }

static void do_write(int chan, int end, int n) {
  int fd = fd_of(chan, end);
  if (strcmp(chan_kind[chan], "efd") == 0) {
    uint64_t v = (uint64_t)n;
    if (write(fd, &v, 8) != 8) abort();
  } else if (write(fd, scratch, (size_t)n) != n) {
    abort();
  }
}

static void do_drain(int chan, int end) {
  int fd = fd_of(chan, end);
  while (read(fd, scratch, sizeof scratch) > 0) {
  }
}

static void start(struct watcher *x) {
  switch (x->kind) {
    case KIND_IO: ev_io_start(loop, &x->w.io); break;
    case KIND_TIMER: ev_timer_start(loop, &x->w.timer); break;
    case KIND_IDLE: ev_idle_start(loop, &x->w.idle); break;
    case KIND_PREPARE: ev_prepare_start(loop, &x->w.prepare); break;
    case KIND_CHECK: ev_check_start(loop, &x->w.check); break;
  }
}

static void stop(struct watcher *x) {
  switch (x->kind) {
    case KIND_IO: ev_io_stop(loop, &x->w.io); break;
    case KIND_TIMER: ev_timer_stop(loop, &x->w.timer); break;
    case KIND_IDLE: ev_idle_stop(loop, &x->w.idle); break;
    case KIND_PREPARE: ev_prepare_stop(loop, &x->w.prepare); break;
    case KIND_CHECK: ev_check_stop(loop, &x->w.check); break;
  }
}

static void act(struct watcher *x) {
  switch (x->act) {
    case ACT_DRAIN: if (x->kind == KIND_IO) do_drain(x->chan, x->end); break;
    case ACT_STOP: stop(x); break;
    case ACT_WRITE: do_write(x->a1, x->a2, x->a3); break;
    case ACT_START: start(&ws[x->a1]); break;
    case ACT_STOPOTHER: stop(&ws[x->a1]); break;
  }
}

static void cb(struct ev_loop *l, void *w, int revents) {
  struct watcher *x = (struct watcher *)((ev_watcher *)w)->data;
  (void)l;
  printf("C %d %d\n", x->id, revents);
  act(x);
}

static int parse_act(const char *name) {
  if (strcmp(name, "drain") == 0) return ACT_DRAIN;
  if (strcmp(name, "stop") == 0) return ACT_STOP;
  if (strcmp(name, "write") == 0) return ACT_WRITE;
  if (strcmp(name, "start") == 0) return ACT_START;
  if (strcmp(name, "stopother") == 0) return ACT_STOPOTHER;
  return ACT_NONE;
}

int main(int argc, char **argv) {
  /* argv[1] "iouring": libev's own io_uring backend, whose one-shot polls
     give the spurious readiness the model permits; epoll otherwise. */
  int iouring = argc > 1 && strcmp(argv[1], "iouring") == 0;
  loop = ev_loop_new((iouring ? EVBACKEND_IOURING : EVBACKEND_EPOLL) | EVFLAG_NOENV);
  if (!loop) {
    puts("unavailable");
    return 0;
  }
  char line[256], word[32], an[32];
  while (fgets(line, sizeof line, stdin)) {
    if (sscanf(line, "%31s", word) != 1) continue;
    if (strcmp(word, "chan") == 0) {
      char kind[8];
      sscanf(line, "chan %7s", kind);
      strcpy(chan_kind[nchans], kind);
      if (strcmp(kind, "pipe") == 0) {
        if (pipe2(chans[nchans], O_NONBLOCK) < 0) abort();
      } else if (strcmp(kind, "sock") == 0) {
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, chans[nchans]) < 0) abort();
      } else {
        chans[nchans][0] = chans[nchans][1] = eventfd(0, EFD_NONBLOCK);
      }
      nchans++;
    } else if (strcmp(word, "io") == 0 || strcmp(word, "timer") == 0) {
      struct watcher *x = &ws[nws];
      x->id = nws++;
      int pri;
      if (word[0] == 'i') {
        int events;
        sscanf(line, "io %d %d %d %d %31s %d %d %d", &x->chan, &x->end, &events, &pri, an, &x->a1, &x->a2, &x->a3);
        x->kind = KIND_IO;
        ev_io_init(&x->w.io, (void (*)(struct ev_loop *, ev_io *, int))cb, fd_of(x->chan, x->end), events);
      } else {
        double after;
        sscanf(line, "timer %lf %d %31s %d %d %d", &after, &pri, an, &x->a1, &x->a2, &x->a3);
        x->kind = KIND_TIMER;
        ev_timer_init(&x->w.timer, (void (*)(struct ev_loop *, ev_timer *, int))cb, after, 0.);
      }
      x->act = parse_act(an);
      ((ev_watcher *)&x->w)->data = x;
      ev_set_priority(&x->w.io, pri);
    } else if (strcmp(word, "idle") == 0 || strcmp(word, "prepare") == 0 || strcmp(word, "check") == 0) {
      struct watcher *x = &ws[nws];
      x->id = nws++;
      int pri;
      sscanf(line, "%*s %d", &pri);
      if (word[0] == 'i') {
        x->kind = KIND_IDLE;
        ev_idle_init(&x->w.idle, (void (*)(struct ev_loop *, ev_idle *, int))cb);
      } else if (word[0] == 'p') {
        x->kind = KIND_PREPARE;
        ev_prepare_init(&x->w.prepare, (void (*)(struct ev_loop *, ev_prepare *, int))cb);
      } else {
        x->kind = KIND_CHECK;
        ev_check_init(&x->w.check, (void (*)(struct ev_loop *, ev_check *, int))cb);
      }
      x->act = ACT_NONE;
      ((ev_watcher *)&x->w)->data = x;
      ev_set_priority(&x->w.idle, pri);
    } else if (strcmp(word, "start") == 0 || strcmp(word, "stop") == 0) {
      int id;
      sscanf(line, "%*s %d", &id);
      if (word[2] == 'a') start(&ws[id]);
      else stop(&ws[id]);
    } else if (strcmp(word, "set") == 0) {
      int id, chan, end, events;
      sscanf(line, "set %d %d %d %d", &id, &chan, &end, &events);
      ws[id].chan = chan;
      ws[id].end = end;
      ev_io_set(&ws[id].w.io, fd_of(chan, end), events);
    } else if (strcmp(word, "modify") == 0) {
      int id, events;
      sscanf(line, "modify %d %d", &id, &events);
      ev_io_modify(&ws[id].w.io, events);
    } else if (strcmp(word, "write") == 0) {
      int chan, end, n;
      sscanf(line, "write %d %d %d", &chan, &end, &n);
      do_write(chan, end, n);
    } else if (strcmp(word, "drain") == 0) {
      int chan, end;
      sscanf(line, "drain %d %d", &chan, &end);
      do_drain(chan, end);
    } else if (strcmp(word, "run") == 0) {
      char mode[16];
      sscanf(line, "run %15s", mode);
      puts("R");
      ev_run(loop, strcmp(mode, "once") == 0 ? EVRUN_ONCE : EVRUN_NOWAIT);
      puts("E");
    } else if (strcmp(word, "end") == 0) {
      break;
    }
  }
  fflush(stdout);
  return 0;
}
