// See identity.h.
#include "identity.h"

#include <fcntl.h>
#include <linux/kcmp.h>
#include <pthread.h>
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

// This process's pid, for kcmp. glibc's getpid() is a system call (it has
// not cached the pid since 2.25), and a system call costs about a
// microsecond on this kind of VM: kcmp runs on every wake-up of an FdPoll,
// so the pid is asked once, and again in a child after fork().
std::atomic<pid_t> g_pid{0};

void ForgetPid() { g_pid.store(0, std::memory_order_relaxed); }

pid_t ThisPid() {
  pid_t pid = g_pid.load(std::memory_order_relaxed);
  if (pid != 0) return pid;
  static const bool registered = [] { return pthread_atfork(nullptr, nullptr, ForgetPid) == 0; }();
  pid = getpid();
  // Without the fork handler a cached pid could outlive a fork: ask each time.
  if (registered) g_pid.store(pid, std::memory_order_relaxed);
  return pid;
}

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
    pid_t pid = ThisPid();
    Count(kOther);
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
  Count(kOther);
  if (fstat(a, &sa) < 0) return Same::kNo;
  Count(kOther);
  if (fstat(b, &sb) < 0) return Same::kNo;
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
