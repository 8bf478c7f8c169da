#define _GNU_SOURCE
/* The same pipe benchmark on the kernel interfaces themselves, with no event
 * library: what the machine allows before any library adds its own cost.
 * `evring bench` shows these rows beside evring and libev so that a target
 * can be judged against the floor it sits on (a target that even raw C
 * misses is out of reach on this kernel, not a defect of a library).
 *
 * Each variant is the cheapest correct loop for its interface:
 * - epoll: fds registered once; level (EPOLLIN) or edge (EPOLLIN | EPOLLET).
 * - epoll-nested: the same epoll, its fd registered in an outer epoll that
 *   sleeps when the inner one has nothing (as Node's epoll does on an
 *   attached evring loop): the inner epoll is polled without waiting, and
 *   only when that finds nothing does the outer epoll_wait sleep. Every
 *   wake-up of a watched fd is passed on to the outer epoll too. It is the
 *   floor of an epoll loop that another event loop can sleep on.
 * - iouring level: one-shot IORING_OP_POLL_ADD per fd, re-armed after each
 *   event; the re-arms go into the io_uring_enter that waits, and no enter
 *   is made while completions are already waiting.
 * - iouring edge: multishot poll (IORING_POLL_ADD_MULTI), re-armed only when
 *   a completion arrives without IORING_CQE_F_MORE.
 * - iouring-after level: the same polls, with the callbacks run once the
 *   wait has returned, as an event loop runs them (libev, @evring/loop):
 *   every completion waiting is taken first, then the callbacks run, and
 *   their re-arms go into the next enter. A callback's write can no longer
 *   complete the next poll while this loop is still reaping, so each event
 *   costs an enter: the floor of a loop with libev's ordering.
 * - linuxaio level: one-shot IOCB_CMD_POLL per fd; the re-arms of one batch
 *   go into one io_submit before the next io_getevents.
 * - linuxaio-eventfd level: the same iocbs, each with IOCB_FLAG_RESFD, and
 *   the wait an embedder makes (an outer loop sleeping on the eventfd, as
 *   Node's does on an attached evring loop): epoll_wait on the eventfd, a
 *   read to reset it, then io_getevents without waiting. It is the floor of
 *   an AIO loop that another event loop can sleep on.
 * Level callbacks read one byte; edge callbacks read until a short read.
 *
 * Usage: raw-bench <epoll|epoll-nested|iouring|iouring-after|linuxaio|linuxaio-eventfd> <level|edge> <pipe|socketpair> N A W rounds
 * Prints one line per round (ns), or "unavailable" when the kernel refuses. */
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <linux/io_uring.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int n, active, writes_max, fired, writes, edge;
static int *readfd, *wakefd;
static char scratch[4096];

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* The benchmark's callback for fd index i. */
static void on_ready(int i) {
  if (edge) {
    for (;;) {
      ssize_t got = read(readfd[i], scratch, sizeof scratch);
      if (got > 0) fired += (int)got;
      if (got < (ssize_t)sizeof scratch) break;
    }
  } else if (read(readfd[i], scratch, 1) == 1) {
    fired++;
  }
  if (writes < writes_max && write(wakefd[(i + 1) % n], "e", 1) == 1) writes++;
}

static int make_fds(int socketpairs) {
  for (int i = 0; i < n; i += socketpairs ? 2 : 1) {
    int fds[2];
    int rc = socketpairs ? socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds)
                         : pipe2(fds, O_NONBLOCK);
    if (rc < 0) return -1;
    readfd[i] = fds[0], wakefd[i] = fds[1];
    if (socketpairs) readfd[i + 1] = fds[1], wakefd[i + 1] = fds[0];
  }
  return 0;
}

/* ---- epoll ---- */
static int ep;
static struct epoll_event events[1024];

static int epoll_open(void) {
  ep = epoll_create1(EPOLL_CLOEXEC);
  if (ep < 0) return -1;
  for (int i = 0; i < n; i++) {
    struct epoll_event e = {.events = EPOLLIN | (edge ? EPOLLET : 0), .data.u32 = (uint32_t)i};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, readfd[i], &e) < 0) return -1;
  }
  return 0;
}

static void epoll_turn(void) {
  int m = epoll_wait(ep, events, 1024, -1);
  for (int j = 0; j < m; j++) on_ready((int)events[j].data.u32);
}

/* epoll-nested: the outer epoll, which holds the inner epoll's fd */
static int outer_ep = -1;

static int epoll_nested_open(void) {
  if (epoll_open() < 0) return -1;
  outer_ep = epoll_create1(EPOLL_CLOEXEC);
  if (outer_ep < 0) return -1;
  struct epoll_event e = {.events = EPOLLIN};
  return epoll_ctl(outer_ep, EPOLL_CTL_ADD, ep, &e);
}

static void epoll_nested_turn(void) {
  int m = epoll_wait(ep, events, 1024, 0);
  if (m == 0) {
    struct epoll_event e;
    epoll_wait(outer_ep, &e, 1, -1);
    return;
  }
  for (int j = 0; j < m; j++) on_ready((int)events[j].data.u32);
}

/* ---- io_uring ---- */
static int ring;
static unsigned *sq_tail, *sq_mask, *sq_array, *cq_head, *cq_tail, *cq_mask, sq_entries;
static unsigned sq_local_tail, pending;
static struct io_uring_sqe *sqes;
static struct io_uring_cqe *cqes;

static void uring_arm(int i) {
  if (pending == sq_entries) { /* the SQ is full: hand it over without waiting */
    __atomic_store_n(sq_tail, sq_local_tail, __ATOMIC_RELEASE);
    syscall(SYS_io_uring_enter, ring, pending, 0, 0, NULL, 0);
    pending = 0;
  }
  unsigned slot = sq_local_tail & *sq_mask;
  struct io_uring_sqe *s = &sqes[slot];
  memset(s, 0, sizeof *s);
  s->opcode = IORING_OP_POLL_ADD;
  s->fd = readfd[i];
  s->poll32_events = POLLIN;
  s->len = edge ? IORING_POLL_ADD_MULTI : 0;
  s->user_data = (uint64_t)i;
  sq_array[slot] = slot;
  sq_local_tail++;
  pending++;
}

static int uring_open(void) {
  struct io_uring_params p;
  memset(&p, 0, sizeof p);
  p.flags = IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP;
  p.cq_entries = 2 * (unsigned)n + 64 > 2048 ? 2 * (unsigned)n + 64 : 2048; /* at least the SQ's */
  ring = (int)syscall(SYS_io_uring_setup, 1024, &p);
  if (ring < 0) return -1;
  size_t sq_size = p.sq_off.array + p.sq_entries * sizeof(unsigned);
  size_t cq_size = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
  char *sq = mmap(NULL, sq_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring,
                  IORING_OFF_SQ_RING);
  char *cq = mmap(NULL, cq_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring,
                  IORING_OFF_CQ_RING);
  sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE,
              MAP_SHARED | MAP_POPULATE, ring, IORING_OFF_SQES);
  if (sq == MAP_FAILED || cq == MAP_FAILED || sqes == MAP_FAILED) return -1;
  sq_tail = (unsigned *)(sq + p.sq_off.tail);
  sq_mask = (unsigned *)(sq + p.sq_off.ring_mask);
  sq_array = (unsigned *)(sq + p.sq_off.array);
  cq_head = (unsigned *)(cq + p.cq_off.head);
  cq_tail = (unsigned *)(cq + p.cq_off.tail);
  cq_mask = (unsigned *)(cq + p.cq_off.ring_mask);
  cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
  sq_entries = p.sq_entries;
  sq_local_tail = *sq_tail;
  for (int i = 0; i < n; i++) uring_arm(i);
  return 0;
}

static void uring_turn(void) {
  unsigned head = *cq_head;
  if (head == __atomic_load_n(cq_tail, __ATOMIC_ACQUIRE)) {
    __atomic_store_n(sq_tail, sq_local_tail, __ATOMIC_RELEASE);
    syscall(SYS_io_uring_enter, ring, pending, 1, IORING_ENTER_GETEVENTS, NULL, 0);
    pending = 0;
  }
  unsigned tail = __atomic_load_n(cq_tail, __ATOMIC_ACQUIRE);
  for (; head != tail; head++) {
    struct io_uring_cqe *e = &cqes[head & *cq_mask];
    int i = (int)e->user_data;
    unsigned more = e->flags & IORING_CQE_F_MORE;
    __atomic_store_n(cq_head, head + 1, __ATOMIC_RELEASE);
    on_ready(i);
    if (!more) uring_arm(i);
  }
}

static int after_ready[1024];

static void uring_after_turn(void) {
  __atomic_store_n(sq_tail, sq_local_tail, __ATOMIC_RELEASE);
  syscall(SYS_io_uring_enter, ring, pending, 1, IORING_ENTER_GETEVENTS, NULL, 0);
  pending = 0;
  unsigned head = *cq_head;
  unsigned tail = __atomic_load_n(cq_tail, __ATOMIC_ACQUIRE);
  int count = 0;
  for (; head != tail && count < 1024; head++) after_ready[count++] = (int)cqes[head & *cq_mask].user_data;
  __atomic_store_n(cq_head, head, __ATOMIC_RELEASE);
  for (int j = 0; j < count; j++) {
    on_ready(after_ready[j]);
    uring_arm(after_ready[j]);
  }
}

/* ---- Linux AIO ---- */
static aio_context_t aio;
static struct iocb *iocbs;
static struct iocb **to_submit;
static struct io_event aio_events[1024];
static int aio_pending;
static int aio_efd = -1; /* linuxaio-eventfd: every iocb signals it */
static int aio_ep = -1;  /* ... and the outer loop sleeps on it here */

static void aio_arm(int i) {
  struct iocb *cb = &iocbs[i];
  memset(cb, 0, sizeof *cb);
  cb->aio_lio_opcode = IOCB_CMD_POLL;
  cb->aio_fildes = (uint32_t)readfd[i];
  cb->aio_buf = POLLIN;
  cb->aio_data = (uint64_t)i;
  if (aio_efd >= 0) {
    cb->aio_flags = IOCB_FLAG_RESFD;
    cb->aio_resfd = (uint32_t)aio_efd;
  }
  to_submit[aio_pending++] = cb;
}

static int aio_flush(void) {
  int done = 0;
  while (done < aio_pending) {
    long r = syscall(SYS_io_submit, aio, aio_pending - done, to_submit + done);
    if (r <= 0) return -1;
    done += (int)r;
  }
  aio_pending = 0;
  return 0;
}

static int aio_open(void) {
  if (edge) return -1; /* a one-shot poll has no edge mode */
  if (syscall(SYS_io_setup, 2 * n + 64, &aio) < 0) return -1;
  iocbs = calloc((size_t)n, sizeof *iocbs);
  to_submit = calloc((size_t)n, sizeof *to_submit);
  for (int i = 0; i < n; i++) aio_arm(i);
  return aio_flush();
}

static void aio_handle(long m) {
  for (long j = 0; j < m; j++) {
    int i = (int)aio_events[j].data;
    on_ready(i);
    aio_arm(i);
  }
}

static void aio_turn(void) {
  aio_flush();
  aio_handle(syscall(SYS_io_getevents, aio, 1, 1024, aio_events, NULL));
}

static int aio_eventfd_open(void) {
  aio_efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  aio_ep = epoll_create1(EPOLL_CLOEXEC);
  if (aio_efd < 0 || aio_ep < 0) return -1;
  struct epoll_event e = {.events = EPOLLIN};
  if (epoll_ctl(aio_ep, EPOLL_CTL_ADD, aio_efd, &e) < 0) return -1;
  return aio_open();
}

static void aio_eventfd_turn(void) {
  aio_flush();
  struct epoll_event e;
  uint64_t count;
  struct timespec zero = {0, 0};
  if (epoll_wait(aio_ep, &e, 1, -1) == 1 && read(aio_efd, &count, sizeof count) < 0) return;
  aio_handle(syscall(SYS_io_getevents, aio, 0, 1024, aio_events, &zero));
}

int main(int argc, char **argv) {
  if (argc < 8) {
    fprintf(stderr, "usage: raw-bench epoll|epoll-nested|iouring|iouring-after|linuxaio|linuxaio-eventfd level|edge pipe|socketpair N A W rounds\n");
    return 2;
  }
  const char *backend = argv[1];
  edge = strcmp(argv[2], "edge") == 0;
  int socketpairs = strcmp(argv[3], "socketpair") == 0;
  n = atoi(argv[4]);
  active = atoi(argv[5]);
  writes_max = atoi(argv[6]);
  int rounds = atoi(argv[7]);
  if (n < 2 || active < 1 || active > n || (socketpairs && n % 2)) return 2;
  readfd = calloc((size_t)n, sizeof(int));
  wakefd = calloc((size_t)n, sizeof(int));
  if (make_fds(socketpairs) < 0) {
    perror("creating fds");
    return 1;
  }
  void (*turn)(void);
  int opened;
  if (strcmp(backend, "epoll") == 0) opened = epoll_open(), turn = epoll_turn;
  else if (strcmp(backend, "epoll-nested") == 0) opened = epoll_nested_open(), turn = epoll_nested_turn;
  else if (strcmp(backend, "iouring") == 0) opened = uring_open(), turn = uring_turn;
  else if (strcmp(backend, "iouring-after") == 0) opened = edge ? -1 : uring_open(), turn = uring_after_turn;
  else if (strcmp(backend, "linuxaio") == 0) opened = aio_open(), turn = aio_turn;
  else if (strcmp(backend, "linuxaio-eventfd") == 0) opened = aio_eventfd_open(), turn = aio_eventfd_turn;
  else return 2;
  if (opened < 0) {
    printf("unavailable\n");
    return 0;
  }
  int space = n / active;
  for (int r = 0; r < rounds; r++) {
    fired = writes = 0;
    double t0 = now_ns();
    for (int k = 0; k < active; k++) write(wakefd[(k * space) % n], "e", 1);
    while (fired < writes_max + active) turn();
    printf("%.0f\n", now_ns() - t0);
  }
  return 0;
}
