// See identity.h.
#include "identity.h"

#include <fcntl.h>
#include <linux/kcmp.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>

#include "common.h"

namespace evring {

namespace {

// Set once kcmp has been refused: every later call goes straight to fstat.
std::atomic<bool> g_kcmp_refused{false};

// The inode every anon_inode_getfile() file shares (eventfd, epoll, timerfd,
// signalfd; io_uring rings get their own since linux 6.x): learnt from an
// eventfd on first use.
ino_t SharedAnonInode() {
  static ino_t ino = [] {
    int fd = static_cast<int>(syscall(SYS_eventfd2, 0, O_CLOEXEC));
    if (fd < 0) return ino_t{0};
    struct stat st;
    ino_t out = fstat(fd, &st) == 0 ? st.st_ino : 0;
    close(fd);
    return out;
  }();
  return ino;
}

}  // namespace

Same SameFile(int a, int b) {
  if (a < 0 || b < 0) return Same::kNo;
  if (!g_kcmp_refused.load(std::memory_order_relaxed)) {
    pid_t pid = getpid();
    long r = syscall(SYS_kcmp, pid, pid, KCMP_FILE, a, b);
    if (r == 0) return Same::kYes;
    if (r > 0) return Same::kNo;
    if (errno == EBADF) return Same::kNo;
    if (errno == ENOSYS || errno == EPERM || errno == EACCES) {
      g_kcmp_refused.store(true, std::memory_order_relaxed);
    } else {
      return Same::kUnknown;
    }
  }
  struct stat sa;
  struct stat sb;
  if (fstat(a, &sa) < 0 || fstat(b, &sb) < 0) return Same::kNo;
  if (sa.st_dev != sb.st_dev || sa.st_ino != sb.st_ino) return Same::kNo;
  if (sa.st_ino == SharedAnonInode()) return Same::kUnknown;
  return Same::kYes;
}

int PrivateDup(int fd) {
  Count(kOther);
  // Above the numbers small programs use, so a stray close(3) is less likely to hit it.
  int r = fcntl(fd, F_DUPFD_CLOEXEC, 64);
  if (r < 0 && errno == EINVAL) r = fcntl(fd, F_DUPFD_CLOEXEC, 0);  // RLIMIT_NOFILE below 64
  return r < 0 ? -errno : r;
}

}  // namespace evring
