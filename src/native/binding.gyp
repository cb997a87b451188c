{
  "targets": [
    {
      "target_name": "porthole_tcp_info",
      "sources": ["tcp_info.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"]
    }
  ]
}
