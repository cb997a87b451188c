// The kernel's own measurement of a TCP handshake: on a socket that has just connected, TCP_INFO's
// tcpi_rtt is the one RTT sample taken so far, SYN sent -> SYN-ACK received, in microseconds.
// read(fd, out[, withLocalPort]) fills out (an Int32Array of 4) with [rtt_us, total_retrans, state,
// local_port] and returns true, or returns false when the socket cannot be asked (the caller falls
// back to its clock). local_port is -1 unless withLocalPort is true: the getsockname it takes is a
// second syscall per check, paid only where a report is to be paired with its packets.
#define NAPI_VERSION 8
#include <node_api.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>

static napi_value tcp_info_read(napi_env env, napi_callback_info cb) {
  size_t argc = 3;
  napi_value argv[3] = {NULL, NULL, NULL};
  napi_value result;
  int32_t fd = -1;
  napi_typedarray_type type;
  size_t length = 0;
  void *data = NULL;
  bool ok = false;
  bool with_port = false;

  if (napi_get_cb_info(env, cb, &argc, argv, NULL, NULL) == napi_ok && argc >= 2 &&
      napi_get_value_int32(env, argv[0], &fd) == napi_ok && fd >= 0 &&
      napi_get_typedarray_info(env, argv[1], &type, &length, &data, NULL, NULL) == napi_ok &&
      type == napi_int32_array && length >= 4) {
    struct tcp_info info;
    socklen_t len = sizeof info;
    memset(&info, 0, sizeof info);
    if (argc >= 3 && napi_get_value_bool(env, argv[2], &with_port) != napi_ok) with_port = false;
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &len) == 0) {
      struct sockaddr_storage local;
      socklen_t llen = sizeof local;
      int32_t port = -1;
      if (with_port && getsockname(fd, (struct sockaddr *)&local, &llen) == 0) {
        if (local.ss_family == AF_INET) port = ntohs(((struct sockaddr_in *)&local)->sin_port);
        else if (local.ss_family == AF_INET6) port = ntohs(((struct sockaddr_in6 *)&local)->sin6_port);
      }
      int32_t *out = (int32_t *)data;
      out[0] = (int32_t)info.tcpi_rtt;
      out[1] = (int32_t)info.tcpi_total_retrans;
      out[2] = (int32_t)info.tcpi_state;
      out[3] = port;
      ok = true;
    }
  }
  napi_get_boolean(env, ok, &result);
  return result;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value fn;
  if (napi_create_function(env, "read", NAPI_AUTO_LENGTH, tcp_info_read, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "read", fn) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
