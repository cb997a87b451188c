// porthole discover's connect scan in C (see README, "Discover"): non-blocking connect()s watched by
// epoll, on threads of libuv's pool, so a 10,000-port scan costs no JavaScript per port.
//
//   scan(address, family, ports: Uint16Array, concurrency, timeoutMs, threads, state: Int32Array,
//        connectMs: Float64Array, done: (error: string | null, concurrencyUsed: number) => void)
//
// fills state[i] for ports[i] with OPEN (handshake done), CLOSED (refused or reset), TIMED_OUT (no
// answer within timeoutMs) or -errno (given up for another reason: unreachable, ...), and connectMs[i]
// of each open port. The ports are shared out by one atomic counter among `threads` jobs, each with
// its own epoll instance and its share of the concurrency. Each open port is closed at once (FIN),
// as `nmap -sT` does.
#define NAPI_VERSION 8
#define _GNU_SOURCE
#include <node_api.h>
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { OPEN = 1, CLOSED = 2, TIMED_OUT = 3 };
enum { DIALED, IN_FLIGHT, SHORTAGE };
/** Ports a job claims from the shared counter at a time. */
#define CHUNK 64
/** Descriptors left for everything else the process holds (stdio, libuv, V8's own). */
#define FD_RESERVE 64
/** With nothing of its own in flight, a job short of descriptors or local ports waits this long, this many times. */
#define SHORTAGE_WAIT_NS 10000000L
#define SHORTAGE_WAITS 200
#define MAX_JOBS 16

typedef struct scan scan_t;

typedef struct {
  scan_t *scan;
  napi_async_work work;
  char error[160];
  int limit_used;
} job_t;

struct scan {
  struct sockaddr_storage target;
  socklen_t target_len;
  int family;
  uint16_t *ports;
  int32_t *state;
  double *connect_ms;
  int32_t *fds;
  int64_t *started_ns;
  int n;
  int concurrency;
  int64_t timeout_ns;
  atomic_int next;
  int jobs;
  int pending;
  job_t job[MAX_JOBS];
  napi_ref state_ref, ms_ref, done_ref;
};

static int64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/** The last shortage this thread met, for the message when it gives up. */
static __thread int last_shortage;

/** Errors that say "not now" about this machine, not anything about the port: the port is tried again. */
static int local_shortage(int e) {
  if (e == EMFILE || e == ENFILE || e == EADDRNOTAVAIL || e == ENOBUFS || e == ENOMEM || e == EAGAIN) last_shortage = e;
  return e == EMFILE || e == ENFILE || e == EADDRNOTAVAIL || e == ENOBUFS || e == ENOMEM || e == EAGAIN;
}

static int refused(int e) { return e == ECONNREFUSED || e == ECONNRESET; }

/**
 * The concurrency the kernel allows, whatever was asked: every handshake in flight holds a file
 * descriptor (RLIMIT_NOFILE's soft limit, less FD_RESERVE or half of a small limit) and a local port from the ephemeral range
 * (net.ipv4.ip_local_port_range). The range binds only in theory (connect() may reuse a local port
 * for another remote port), so it is a cap, not a divisor. Running short anyway (another thread's
 * descriptors, sockets still closing) is handled per port: the job lowers its own limit and retries.
 */
static int kernel_concurrency(int asked) {
  int limit = asked;
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
    long reserve = (long)rl.rlim_cur / 2 < FD_RESERVE ? (long)rl.rlim_cur / 2 : FD_RESERVE;
    long fds = (long)rl.rlim_cur - reserve;
    if (fds < limit) limit = fds < 1 ? 1 : (int)fds;
  }
  FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "re");
  if (f) {
    int lo = 0, hi = 0;
    if (fscanf(f, "%d %d", &lo, &hi) == 2 && hi >= lo && hi - lo + 1 < limit) limit = hi - lo + 1;
    fclose(f);
  }
  return limit < 1 ? 1 : limit;
}

static int claim(scan_t *s, int *at, int *end) {
  if (*at >= *end) {
    *at = atomic_fetch_add(&s->next, CHUNK);
    if (*at >= s->n) return -1;
    *end = *at + CHUNK < s->n ? *at + CHUNK : s->n;
  }
  return (*at)++;
}

/** A port inside the ephemeral range can be dialled from itself (TCP simultaneous open): nothing listens. */
static int self_connected(scan_t *s, int fd, uint16_t port) {
  struct sockaddr_storage local;
  socklen_t len = sizeof local;
  if (getsockname(fd, (struct sockaddr *)&local, &len) != 0) return 0;
  if (s->family == AF_INET) {
    const struct sockaddr_in *l = (const struct sockaddr_in *)&local, *t = (const struct sockaddr_in *)&s->target;
    return ntohs(l->sin_port) == port && l->sin_addr.s_addr == t->sin_addr.s_addr;
  }
  const struct sockaddr_in6 *l = (const struct sockaddr_in6 *)&local, *t = (const struct sockaddr_in6 *)&s->target;
  return ntohs(l->sin6_port) == port && memcmp(&l->sin6_addr, &t->sin6_addr, sizeof l->sin6_addr) == 0;
}

/** Records how port i's handshake ended (0: established, else an errno) and closes its socket. */
static int settle(scan_t *s, int i, int fd, int err) {
  if (err == 0) {
    if (self_connected(s, fd, s->ports[i])) s->state[i] = CLOSED;
    else {
      s->state[i] = OPEN;
      s->connect_ms[i] = (double)(now_ns() - s->started_ns[i]) / 1e6;
    }
  } else if (refused(err)) s->state[i] = CLOSED;
  else if (!local_shortage(err)) s->state[i] = -err;
  close(fd);
  s->fds[i] = -1;
  return err != 0 && local_shortage(err) ? SHORTAGE : DIALED;
}

/**
 * Starts port i's handshake. On loopback the answer (SYN-ACK or RST) is in before connect() returns
 * EINPROGRESS (the kernel handles it as the socket is released), so a second connect() asks for it:
 * 0 (established), the error (refused), or EALREADY (still waiting: then epoll watches it). That is
 * two system calls where epoll would take three, and on a remote host one more per port than needed.
 */
static void address_of(const scan_t *s, int i, struct sockaddr_storage *to) {
  *to = s->target;
  if (s->family == AF_INET) ((struct sockaddr_in *)to)->sin_port = htons(s->ports[i]);
  else ((struct sockaddr_in6 *)to)->sin6_port = htons(s->ports[i]);
}

static int dial(scan_t *s, int epfd, int i, int *spare) {
  struct sockaddr_storage to;
  address_of(s, i, &to);
  int fd = *spare;
  *spare = -1;
  if (fd >= 0) {
    // A socket whose last connect() was refused (see below) is dialled again; anything but the
    // expected start means it is not fit for another connect, and a new socket takes the port.
    s->started_ns[i] = now_ns();
    if (connect(fd, (struct sockaddr *)&to, s->target_len) != 0 && errno != EINPROGRESS) {
      close(fd);
      fd = -1;
    }
  }
  if (fd < 0) {
    fd = socket(s->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      if (local_shortage(errno)) return SHORTAGE;
      s->state[i] = -errno;
      return DIALED;
    }
    s->started_ns[i] = now_ns();
    if (connect(fd, (struct sockaddr *)&to, s->target_len) == 0) {
      s->fds[i] = fd;
      return settle(s, i, fd, 0);
    }
    if (errno != EINPROGRESS) {
      s->fds[i] = fd;
      return settle(s, i, fd, errno);
    }
  }
  s->fds[i] = fd;
  if (connect(fd, (struct sockaddr *)&to, s->target_len) == 0) return settle(s, i, fd, 0);
  int err = errno;
  if (err == ECONNREFUSED) {
    // connect() that reports the refusal also disconnects the socket (Linux: SS_UNCONNECTED, its
    // local port let go), so it can dial the next port: no socket() and close() per refused port.
    s->state[i] = CLOSED;
    s->fds[i] = -1;
    *spare = fd;
    return DIALED;
  }
  if (err != EALREADY) return settle(s, i, fd, err == EISCONN ? 0 : err);
  struct epoll_event ev = {.events = EPOLLOUT, .data.u32 = (uint32_t)i};
  if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) != 0) return settle(s, i, fd, errno);
  return IN_FLIGHT;
}

/** Indexes in the order their handshakes started: they all have the same timeout, so they expire in this order. */
typedef struct {
  int32_t *at;
  size_t head, len, cap;
} fifo_t;

static int fifo_push(fifo_t *q, int32_t i) {
  if (q->len == q->cap) {
    if (q->head > 0) {
      memmove(q->at, q->at + q->head, (q->len - q->head) * sizeof *q->at);
      q->len -= q->head;
      q->head = 0;
    }
    if (q->len == q->cap) {
      size_t cap = q->cap ? q->cap * 2 : 1024;
      int32_t *at = realloc(q->at, cap * sizeof *at);
      if (!at) return -1;
      q->at = at;
      q->cap = cap;
    }
  }
  q->at[q->len++] = i;
  return 0;
}

/** Ports to dial again once the machine has descriptors or local ports to spare. */
typedef struct {
  int32_t *at;
  size_t len, cap;
} retry_stack_t;

static int stack_push(retry_stack_t *q, int32_t i) {
  if (q->len == q->cap) {
    size_t cap = q->cap ? q->cap * 2 : 64;
    int32_t *at = realloc(q->at, cap * sizeof *at);
    if (!at) return -1;
    q->at = at;
    q->cap = cap;
  }
  q->at[q->len++] = i;
  return 0;
}

/** One job's part of the scan, on a thread of libuv's pool. */
static void run_job(napi_env env, void *data) {
  (void)env;
  job_t *job = data;
  scan_t *s = job->scan;
  const int share = (s->concurrency + s->jobs - 1) / s->jobs;
  int limit = share;
  int inflight = 0, at = 0, end = 0, exhausted = 0, idle_shortages = 0, spare = -1;
  fifo_t queue = {0};
  retry_stack_t retry = {0};
  struct epoll_event events[256];
  int epfd = epoll_create1(EPOLL_CLOEXEC);
  if (epfd < 0) {
    snprintf(job->error, sizeof job->error, "epoll_create1: %s", strerror(errno));
    return;
  }
  job->limit_used = share;

  for (;;) {
    while (inflight < limit) {
      int i;
      if (retry.len > 0) i = retry.at[--retry.len];
      else if (exhausted || (i = claim(s, &at, &end)) < 0) {
        exhausted = 1;
        break;
      }
      int r = dial(s, epfd, i, &spare);
      if (r == IN_FLIGHT) {
        if (fifo_push(&queue, i) != 0) {
          snprintf(job->error, sizeof job->error, "out of memory");
          goto out;
        }
        inflight++;
        // After a shortage, one more in flight for each handshake that could start, up to the share.
        if (limit < share) limit++;
      } else if (r == SHORTAGE) {
        if (stack_push(&retry, i) != 0) {
          snprintf(job->error, sizeof job->error, "out of memory");
          goto out;
        }
        // Only as many in flight as the machine just managed.
        limit = inflight > 0 ? inflight : 1;
        break;
      } else idle_shortages = 0;
    }
    if (inflight == 0) {
      if (retry.len == 0 && exhausted) break;
      if (retry.len > 0) {
        // Nothing of ours in flight and still short: the descriptors are held elsewhere. Wait a while.
        if (++idle_shortages > SHORTAGE_WAITS) {
          snprintf(job->error, sizeof job->error, "cannot open more connections (%s): lower --concurrency or raise the open-file limit (ulimit -n)", strerror(last_shortage));
          goto out;
        }
        struct timespec pause = {0, SHORTAGE_WAIT_NS};
        nanosleep(&pause, NULL);
        continue;
      }
    }
    int64_t now = now_ns();
    while (queue.head < queue.len && s->fds[queue.at[queue.head]] < 0) queue.head++;
    int wait_ms = 0;
    if (queue.head < queue.len) {
      int64_t left = s->started_ns[queue.at[queue.head]] + s->timeout_ns - now;
      wait_ms = left <= 0 ? 0 : (int)((left + 999999) / 1000000);
    }
    int got = epoll_wait(epfd, events, 256, wait_ms);
    for (int k = 0; k < got; k++) {
      int i = (int)events[k].data.u32;
      int fd = s->fds[i];
      if (fd < 0) continue;
      int err = 0;
      socklen_t len = sizeof err;
      if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
      inflight--;
      if (settle(s, i, fd, err) == SHORTAGE && stack_push(&retry, i) != 0) {
        snprintf(job->error, sizeof job->error, "out of memory");
        goto out;
      }
    }
    now = now_ns();
    while (queue.head < queue.len) {
      int i = queue.at[queue.head];
      int fd = s->fds[i];
      if (fd >= 0) {
        if (s->started_ns[i] + s->timeout_ns > now) break;
        // Past its time, but this thread may have been kept from running (a loaded machine) with the
        // answer already in and not yet reported by epoll: connect() says whether it is still waiting.
        struct sockaddr_storage to;
        address_of(s, i, &to);
        int err = connect(fd, (struct sockaddr *)&to, s->target_len) == 0 ? 0 : errno;
        inflight--;
        if (err == EALREADY) {
          s->state[i] = TIMED_OUT;
          close(fd);
          s->fds[i] = -1;
        } else if (settle(s, i, fd, err == EISCONN ? 0 : err) == SHORTAGE && stack_push(&retry, i) != 0) {
          snprintf(job->error, sizeof job->error, "out of memory");
          goto out;
        }
      }
      queue.head++;
    }
  }
out:
  for (size_t k = queue.head; k < queue.len; k++) {
    int i = queue.at[k];
    if (s->fds[i] >= 0) {
      close(s->fds[i]);
      s->fds[i] = -1;
    }
  }
  if (spare >= 0) close(spare);
  close(epfd);
  free(queue.at);
  free(retry.at);
}

static void free_scan(napi_env env, scan_t *s) {
  if (s->state_ref) napi_delete_reference(env, s->state_ref);
  if (s->ms_ref) napi_delete_reference(env, s->ms_ref);
  if (s->done_ref) napi_delete_reference(env, s->done_ref);
  for (int j = 0; j < s->jobs; j++)
    if (s->job[j].work) napi_delete_async_work(env, s->job[j].work);
  free(s->ports);
  free(s->state);
  free(s->connect_ms);
  free(s->fds);
  free(s->started_ns);
  free(s);
}

static void *typed(napi_env env, napi_ref ref, size_t *length) {
  napi_value v;
  void *data = NULL;
  napi_typedarray_type type;
  if (napi_get_reference_value(env, ref, &v) != napi_ok || napi_get_typedarray_info(env, v, &type, length, &data, NULL, NULL) != napi_ok) return NULL;
  return data;
}

/** On the JS thread as each job ends; the last one copies the results out and calls back. */
static void job_done(napi_env env, napi_status status, void *data) {
  job_t *job = data;
  scan_t *s = job->scan;
  if (status != napi_ok && !job->error[0]) snprintf(job->error, sizeof job->error, "the scan job was cancelled");
  if (--s->pending > 0) return;
  const char *error = NULL;
  int used = 0;
  for (int j = 0; j < s->jobs; j++) {
    if (s->job[j].error[0] && !error) error = s->job[j].error;
    used += s->job[j].limit_used;
  }
  size_t n1 = 0, n2 = 0;
  int32_t *state = typed(env, s->state_ref, &n1);
  double *ms = typed(env, s->ms_ref, &n2);
  if (state && ms && n1 >= (size_t)s->n && n2 >= (size_t)s->n) {
    memcpy(state, s->state, (size_t)s->n * sizeof *state);
    memcpy(ms, s->connect_ms, (size_t)s->n * sizeof *ms);
  } else if (!error) error = "the result arrays went away";
  napi_value done, argv[2], global, ignored;
  if (error) napi_create_string_utf8(env, error, NAPI_AUTO_LENGTH, &argv[0]);
  else napi_get_null(env, &argv[0]);
  napi_create_int32(env, used, &argv[1]);
  napi_get_global(env, &global);
  if (napi_get_reference_value(env, s->done_ref, &done) == napi_ok) napi_call_function(env, global, done, 2, argv, &ignored);
  free_scan(env, s);
}

static napi_value fail(napi_env env, const char *message) {
  napi_throw_type_error(env, NULL, message);
  return NULL;
}

static napi_value scan_start(napi_env env, napi_callback_info cb) {
  size_t argc = 9;
  napi_value argv[9];
  if (napi_get_cb_info(env, cb, &argc, argv, NULL, NULL) != napi_ok || argc != 9) return fail(env, "scan: 9 arguments");
  char address[64];
  size_t alen = 0;
  int32_t family = 0, concurrency = 0, timeout_ms = 0, jobs = 0;
  if (napi_get_value_string_utf8(env, argv[0], address, sizeof address, &alen) != napi_ok ||
      napi_get_value_int32(env, argv[1], &family) != napi_ok || napi_get_value_int32(env, argv[3], &concurrency) != napi_ok ||
      napi_get_value_int32(env, argv[4], &timeout_ms) != napi_ok || napi_get_value_int32(env, argv[5], &jobs) != napi_ok)
    return fail(env, "scan: bad argument");
  napi_typedarray_type type;
  size_t n = 0, n_state = 0, n_ms = 0;
  void *ports = NULL;
  if (napi_get_typedarray_info(env, argv[2], &type, &n, &ports, NULL, NULL) != napi_ok || type != napi_uint16_array) return fail(env, "scan: ports must be a Uint16Array");
  if (napi_get_typedarray_info(env, argv[6], &type, &n_state, NULL, NULL, NULL) != napi_ok || type != napi_int32_array || n_state < n) return fail(env, "scan: state must be an Int32Array of ports.length");
  if (napi_get_typedarray_info(env, argv[7], &type, &n_ms, NULL, NULL, NULL) != napi_ok || type != napi_float64_array || n_ms < n) return fail(env, "scan: connectMs must be a Float64Array of ports.length");
  napi_valuetype vt;
  if (napi_typeof(env, argv[8], &vt) != napi_ok || vt != napi_function) return fail(env, "scan: done must be a function");
  if (concurrency < 1 || timeout_ms < 1 || n == 0 || n > 65536) return fail(env, "scan: concurrency, timeout and ports must be positive");

  scan_t *s = calloc(1, sizeof *s);
  if (!s) return fail(env, "scan: out of memory");
  if (family == 4) {
    struct sockaddr_in *a = (struct sockaddr_in *)&s->target;
    a->sin_family = AF_INET;
    s->family = AF_INET;
    s->target_len = sizeof *a;
    if (inet_pton(AF_INET, address, &a->sin_addr) != 1) family = 0;
  } else if (family == 6) {
    struct sockaddr_in6 *a = (struct sockaddr_in6 *)&s->target;
    a->sin6_family = AF_INET6;
    s->family = AF_INET6;
    s->target_len = sizeof *a;
    // A link-local address names its interface after '%' (fe80::1%eth0), by name or by index.
    char *scope = strchr(address, '%');
    if (scope) {
      *scope++ = '\0';
      char *end = NULL;
      unsigned long index = strtoul(scope, &end, 10);
      a->sin6_scope_id = *scope && end && !*end ? (uint32_t)index : if_nametoindex(scope);
      if (a->sin6_scope_id == 0) family = 0;
    }
    if (inet_pton(AF_INET6, address, &a->sin6_addr) != 1) family = 0;
  } else family = 0;
  if (family == 0) {
    free(s);
    return fail(env, "scan: address is not an IP address of the family given");
  }
  s->n = (int)n;
  s->ports = malloc(n * sizeof *s->ports);
  s->state = calloc(n, sizeof *s->state);
  s->connect_ms = calloc(n, sizeof *s->connect_ms);
  s->fds = malloc(n * sizeof *s->fds);
  s->started_ns = calloc(n, sizeof *s->started_ns);
  if (!s->ports || !s->state || !s->connect_ms || !s->fds || !s->started_ns) {
    free_scan(env, s);
    return fail(env, "scan: out of memory");
  }
  memcpy(s->ports, ports, n * sizeof *s->ports);
  for (size_t i = 0; i < n; i++) s->fds[i] = -1;
  s->concurrency = kernel_concurrency(concurrency);
  if (s->concurrency > (int)n) s->concurrency = (int)n;
  s->timeout_ns = (int64_t)timeout_ms * 1000000;
  atomic_init(&s->next, 0);
  s->jobs = jobs < 1 ? 1 : jobs > MAX_JOBS ? MAX_JOBS : jobs;
  if (s->jobs > s->concurrency) s->jobs = s->concurrency;
  napi_value name;
  if (napi_create_reference(env, argv[6], 1, &s->state_ref) != napi_ok || napi_create_reference(env, argv[7], 1, &s->ms_ref) != napi_ok ||
      napi_create_reference(env, argv[8], 1, &s->done_ref) != napi_ok || napi_create_string_utf8(env, "porthole:scan", NAPI_AUTO_LENGTH, &name) != napi_ok) {
    free_scan(env, s);
    return fail(env, "scan: cannot hold the arguments");
  }
  for (int j = 0; j < s->jobs; j++) {
    s->job[j].scan = s;
    if (napi_create_async_work(env, NULL, name, run_job, job_done, &s->job[j], &s->job[j].work) != napi_ok) {
      free_scan(env, s);
      return fail(env, "scan: cannot create the scan jobs");
    }
  }
  s->pending = s->jobs;
  for (int j = 0; j < s->jobs; j++) napi_queue_async_work(env, s->job[j].work);
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value fn;
  if (napi_create_function(env, "scan", NAPI_AUTO_LENGTH, scan_start, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "scan", fn) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
