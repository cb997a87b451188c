{
  "targets": [
    {
      "target_name": "porthole_tcp_info",
      "sources": ["tcp_info.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"]
    },
    {
      "target_name": "porthole_scan",
      "sources": ["scan.c"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-std=gnu11"]
    }
  ]
}
