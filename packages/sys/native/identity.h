// File identity: whether two fd numbers name the same open file, and private
// duplicates that JavaScript never sees.
//
// An fd number is only a name. Node, another addon or a worker can close it
// and the kernel hands the number to the next file opened, so sys never acts
// on a number alone where acting on the wrong file would hurt (closing it,
// mapping it, entering it as a ring). Each resource keeps a private
// duplicate of its own fd; a public number is trusted only while it still
// names the same open file as that duplicate.
#pragma once

namespace evring {

enum class Same { kYes, kNo, kUnknown };

// Whether `a` and `b` name the same open file description. kcmp(2) answers
// exactly (KCMP_FILE); where it is refused (no CONFIG_KCMP, seccomp) the
// device and inode numbers are compared, which tells files apart except
// those sharing one anonymous inode (eventfds, epoll and timerfd
// instances): then kUnknown. A closed `a` or `b` is kNo.
Same SameFile(int a, int b);

// A close-on-exec duplicate of `fd`, or -errno.
int PrivateDup(int fd);

}  // namespace evring
