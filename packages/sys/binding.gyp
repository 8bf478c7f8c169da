{
  "targets": [
    {
      "target_name": "evring_sys",
      "sources": [
        "native/binding.cc",
        "native/common.cc",
        "native/counters.cc",
        "native/mapping.cc",
        "native/fds.cc",
        "native/fast_call.cc",
        "native/direct_call.cc",
        "native/epoll.cc",
        "native/identity.cc",
        "native/owned_fds.cc",
        "native/io_uring.cc",
        "native/sqe_check.cc",
        "native/memory.cc",
        "native/pinned.cc",
        "native/ring_ops.cc",
        "native/aio.cc",
        "native/fd_poll.cc",
        "native/signal_relay.cc",
        "native/inotify.cc",
        "native/file_attrs.cc",
        "native/statx_inline.cc",
        "native/tty.cc",
        "native/clock.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      # NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS: a call that throws while its
      # worker is being terminated cannot throw into JavaScript any more; the
      # error is dropped instead of escaping as a C++ exception (an abort).
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED", "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17"],
      # Lazy binding, whatever the toolchain's default: the V8 symbols that
      # native/direct_call.cc names are resolved only if called, which they
      # are only on the Node major the addon was built for.
      "ldflags": ["-Wl,-z,lazy"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-Wall", "-Wextra", "-Wno-unused-parameter", "-O2"]
    }
  ]
}
