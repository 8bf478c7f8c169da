#define _GNU_SOURCE
/* The file benchmark on io_uring through liburing, with no event library and
 * no safety bookkeeping: the floor `evring bench files` measures evring
 * against. The loop is the cheapest correct one: `depth` operations kept in
 * flight; one io_uring_submit_and_wait per batch, which hands the kernel
 * every re-submission made while draining the completions before it.
 *
 * The ring is set up as evring's own operation ring is (SINGLE_ISSUER |
 * DEFER_TASKRUN, linux 6.1), falling back to plain flags on an older kernel.
 *
 * Usage: files-bench <randread|seqread|randwrite|randwrite-sync> PATH BLOCK DEPTH OPS
 * Prints "ready" (or "unavailable"), then runs one round per line read from
 * stdin (of as many operations as the line says; OPS for an empty line), printing "<ns> <io_uring_enter calls> <user µs> <system µs>" for
 * each, until stdin ends. */
#include <fcntl.h>
#include <liburing.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { RANDREAD, SEQREAD, RANDWRITE, RANDWRITE_SYNC };

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* xorshift64: the block picked for each random operation. */
static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t next_random(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

static double cpu_us(const struct timeval *tv) { return tv->tv_sec * 1e6 + tv->tv_usec; }

static int mode, fd, depth;
static unsigned block;
static uint64_t blocks, seq_next;
static char *buffers;

/* Queues slot's next operation; `sync_step` queues its fdatasync instead. */
static void queue(struct io_uring *ring, int slot, int sync_step) {
  struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
  char *buf = buffers + (size_t)slot * block;
  if (sync_step) {
    io_uring_prep_fsync(sqe, fd, IORING_FSYNC_DATASYNC);
  } else if (mode == SEQREAD) {
    io_uring_prep_read(sqe, fd, buf, block, (seq_next++ % blocks) * block);
  } else {
    uint64_t off = (next_random() % blocks) * block;
    if (mode == RANDREAD)
      io_uring_prep_read(sqe, fd, buf, block, off);
    else
      io_uring_prep_write(sqe, fd, buf, block, off);
  }
  io_uring_sqe_set_data64(sqe, ((uint64_t)slot << 1) | (uint64_t)sync_step);
}

int main(int argc, char **argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: files-bench <randread|seqread|randwrite|randwrite-sync> PATH BLOCK DEPTH OPS\n");
    return 2;
  }
  const char *modes[] = {"randread", "seqread", "randwrite", "randwrite-sync"};
  mode = -1;
  for (int i = 0; i < 4; i++)
    if (strcmp(argv[1], modes[i]) == 0) mode = i;
  block = (unsigned)atoi(argv[3]);
  depth = atoi(argv[4]);
  long ops = atol(argv[5]);
  if (mode < 0 || block == 0 || depth <= 0 || ops <= 0) {
    fprintf(stderr, "files-bench: bad arguments\n");
    return 2;
  }
  fd = open(argv[2], mode >= RANDWRITE ? O_RDWR : O_RDONLY);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0 || st.st_size < (off_t)block) {
    perror("files-bench: open");
    return 1;
  }
  blocks = (uint64_t)st.st_size / block;
  if (posix_memalign((void **)&buffers, 4096, (size_t)depth * block) != 0) return 1;
  memset(buffers, 'e', (size_t)depth * block);

  struct io_uring ring;
  unsigned entries = 1;
  while (entries < (unsigned)depth * 2) entries <<= 1;
  if (io_uring_queue_init(entries, &ring, IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN) < 0 &&
      io_uring_queue_init(entries, &ring, 0) < 0) {
    printf("unavailable\n");
    return 0;
  }
  printf("ready\n");
  fflush(stdout);
  char line[32];
  while (fgets(line, sizeof line, stdin) != NULL) {
    long round_ops = atol(line);
    if (round_ops <= 0) round_ops = ops;
    long started = 0, done = 0, enters = 0;
    struct rusage r0, r1;
    getrusage(RUSAGE_SELF, &r0);
    double t0 = now_ns();
    for (int s = 0; s < depth && started < round_ops; s++, started++) queue(&ring, s, 0);
    while (done < round_ops) {
      int rc = io_uring_submit_and_wait(&ring, 1);
      enters++;
      if (rc < 0) {
        fprintf(stderr, "files-bench: io_uring_submit_and_wait: %s\n", strerror(-rc));
        return 1;
      }
      struct io_uring_cqe *cqe;
      unsigned head, seen = 0;
      io_uring_for_each_cqe(&ring, head, cqe) {
        seen++;
        uint64_t data = io_uring_cqe_get_data64(cqe);
        int slot = (int)(data >> 1);
        if (cqe->res < 0) {
          fprintf(stderr, "files-bench: operation failed: %s\n", strerror(-cqe->res));
          return 1;
        }
        if (mode == RANDWRITE_SYNC && !(data & 1)) {
          queue(&ring, slot, 1); /* the write is done: its fdatasync next */
          continue;
        }
        done++;
        if (started < round_ops) {
          queue(&ring, slot, 0);
          started++;
        }
      }
      io_uring_cq_advance(&ring, seen);
    }
    double elapsed = now_ns() - t0;
    getrusage(RUSAGE_SELF, &r1);
    printf("%.0f %ld %.0f %.0f\n", elapsed, enters, cpu_us(&r1.ru_utime) - cpu_us(&r0.ru_utime),
           cpu_us(&r1.ru_stime) - cpu_us(&r0.ru_stime));
    fflush(stdout);
  }
  io_uring_queue_exit(&ring);
  return 0;
}
