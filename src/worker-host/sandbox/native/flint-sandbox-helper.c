/*
 * The few privileged steps of Flint's namespace sandbox that Node cannot make
 * itself (setns, prctl, the new mount API), and the sandbox's pid 1. Subcommands:
 *
 *   exec [--netns PATH] [--cgroup-procs FILE]... --uid UID --gid GID (-- ARGV... | --command-fd FD)
 *     Joins the prepared network namespace, attaches itself to the sandbox's
 *     cgroups (so everything it starts is inside them: no race), drops to
 *     UID/GID with no supplementary groups and no core dumps, and runs ARGV
 *     (bubblewrap) as its child with the environment and open file descriptors
 *     unchanged. With --command-fd it does all that ahead of the sandbox's
 *     start, then waits: it reads the environment and ARGV from FD until end of
 *     file (NUL-terminated records: the environment's KEY=VALUE ones, an empty
 *     one, then ARGV's, ARGV[0] an absolute path) and runs that instead; at end of
 *     file with nothing read it exits 0 (a prepared start given up). FD is a
 *     socket: "j" is written to it once the helper is in place. Attaching a
 *     process to a cgroup waits for an RCU grace period (the cgroup core's
 *     threadgroup lock, ~9 ms here), which this takes off the start. It stays as a child subreaper: bubblewrap's pid 1 and anything
 *     orphaned are reaped here at once instead of by the host's init (which took
 *     ~1.9 s), and it exits when nothing is left, with ARGV's exit status.
 *     Both it and ARGV get SIGKILL when their parent dies (Flint killed).
 *     Node's NODE_CHANNEL_* variables (set when FD is Flint's IPC channel) are
 *     removed from the environment: they are the supervisor's business, not the runtime's.
 *
 *   specialize PID [--task DIR] [--opt DIR] [--tmp-size BYTES]
 *     Mounts DIR read-only (nosuid, nodev) at /var/task (and /opt) inside the
 *     running sandbox whose process is PID, and resizes its /tmp. The read-only
 *     flag is set on the detached copy before it is attached, so the sandbox
 *     never sees it writable; the mount lives only in the sandbox's mount
 *     namespace and disappears with it.
 *
 *   supervise FD [--runtime-api HOST:PORT] -- ARGV...
 *     The sandbox's pid 1 (bubblewrap --as-pid-1), run inside the sandbox. Starts
 *     ARGV (the runtime) and keeps the sandbox when it ends, so that a restarted
 *     runtime finds the same /tmp, cgroups and network, as Lambda's environment
 *     does. FD is Node's IPC channel to Flint (closed on exec, the runtime never
 *     sees it), spoken in Node's JSON framing: one JSON value per line.
 *     With --runtime-api, before the runtime first starts, it creates a TCP socket
 *     listening on HOST:PORT (the sandbox's own loopback, in its own network
 *     namespace) and hands it to Flint as a Node handle (`{"cmd":"NODE_HANDLE",
 *     "type":"net.Native","msg":{"runtimeApi":"HOST:PORT"}}` with the descriptor
 *     attached, SCM_RIGHTS), keeping no copy: Flint serves that sandbox's Runtime
 *     API on it, and the listener outlives every runtime it restarts.
 *     When the runtime ends, every other process of the sandbox is killed and
 *     reaped, then `{"exit":STATUS}` is written (STATUS: n, or 128+n for signal n).
 *     Commands read from FD: `"kill"` kills every process of the sandbox but itself
 *     (kill(-1), which spares the caller and pid 1: nothing escapes), which ends
 *     the runtime and so writes `exit`; `"start"` starts ARGV again when no runtime
 *     runs; other lines (Node's NODE_HANDLE_ACK) are ignored. At end of file it
 *     kills everything and exits with the last runtime's status. A process inside
 *     cannot signal it: pid 1 gets no signal without a handler from its own namespace.
 *
 *   serve
 *     Runs requests read from stdin, one per line, fields separated by tabs:
 *     `specialize PID TASK OPT TMP_SIZE` (`-` for an absent field), and
 *     `netconf NETNS ADDR GATEWAY GATEWAY_MAC bridge|isolated`, the sandbox side of a
 *     network slot (netns-config.c) in the namespace NETNS (a /run/netns file).
 *     Each request runs in the server itself, which enters the sandbox's mount
 *     (or the slot's network) namespace and goes back to its own (no fork per
 *     request), and gets one answer line: `ok`, or `error MESSAGE`. Spares the
 *     driver a process spawn per specialisation (~4 ms from Node) and per slot.
 *
 * Built by scripts/setup-sandbox.sh: gcc -O2 -o .build/flint-sandbox-helper flint-sandbox-helper.c netns-config.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "netns-config.h"

#define MAX_CGROUPS 16

static int fail(const char *what, const char *arg) {
  fprintf(stderr, "flint-sandbox-helper: %s %s: %s\n", what, arg ? arg : "", strerror(errno));
  return 111;
}

static int write_pid(const char *file) {
  char buf[32];
  int len = snprintf(buf, sizeof buf, "%d\n", (int)getpid());
  int fd = open(file, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t n = write(fd, buf, (size_t)len);
  int saved = errno;
  close(fd);
  errno = saved;
  return n == len ? 0 : -1;
}

/* A command read from a descriptor: NULL-terminated arrays pointing into one buffer. */
struct command {
  char **envp;
  char **argv;
};

#define MAX_COMMAND_BYTES (1 << 20)

/*
 * Reads NUL-terminated records from FD to end of file (then closes it): the environment's,
 * an empty record, ARGV's. 1 when a command was read, 0 at end of file with nothing read,
 * -1 on a read error or a malformed command (errno set).
 */
static int read_command(int fd, struct command *out) {
  size_t cap = 4096, len = 0;
  char *buf = malloc(cap);
  if (buf == NULL) return -1;
  for (;;) {
    if (len == cap) {
      if (cap >= MAX_COMMAND_BYTES) { errno = E2BIG; return -1; }
      char *grown = realloc(buf, cap *= 2);
      if (grown == NULL) return -1;
      buf = grown;
    }
    ssize_t n = read(fd, buf + len, cap - len);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (n == 0) break;
    len += (size_t)n;
  }
  close(fd);
  if (len == 0) return 0;
  if (buf[len - 1] != '\0') { errno = EINVAL; return -1; }
  size_t records = 0;
  for (size_t k = 0; k < len; k++) if (buf[k] == '\0') records++;
  char **ptrs = calloc(records + 2, sizeof *ptrs); /* two NULL terminators */
  if (ptrs == NULL) return -1;
  size_t r = 0, env_end = (size_t)-1;
  for (size_t start = 0; start < len; start += strlen(buf + start) + 1) {
    if (buf[start] == '\0' && env_end == (size_t)-1) {
      env_end = r;
      ptrs[r++] = NULL; /* ends the environment */
    } else {
      ptrs[r++] = buf + start;
    }
  }
  ptrs[r] = NULL; /* ends ARGV */
  if (env_end == (size_t)-1 || env_end + 1 >= r || ptrs[env_end + 1][0] != '/') { errno = EINVAL; return -1; }
  out->envp = ptrs;
  out->argv = ptrs + env_end + 1;
  return 1;
}

static int cmd_exec(int argc, char **argv) {
  const char *netns = NULL;
  const char *cgroups[MAX_CGROUPS];
  int ncgroups = 0;
  long uid = -1, gid = -1, command_fd = -1;
  int i = 0;
  for (; i < argc; i++) {
    if (strcmp(argv[i], "--") == 0) { i++; break; }
    if (i + 1 >= argc) { errno = EINVAL; return fail("missing value for", argv[i]); }
    if (strcmp(argv[i], "--netns") == 0) netns = argv[++i];
    else if (strcmp(argv[i], "--cgroup-procs") == 0 && ncgroups < MAX_CGROUPS) cgroups[ncgroups++] = argv[++i];
    else if (strcmp(argv[i], "--uid") == 0) uid = strtol(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "--gid") == 0) gid = strtol(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "--command-fd") == 0) command_fd = strtol(argv[++i], NULL, 10);
    else { errno = EINVAL; return fail("unknown option", argv[i]); }
  }
  if ((command_fd < 3) == (i >= argc) || uid <= 0 || gid <= 0) {
    errno = EINVAL;
    return fail("usage: exec ... --uid U --gid G (-- ARGV | --command-fd FD)", NULL);
  }
  pid_t parent = getppid();
  unsetenv("NODE_CHANNEL_FD");
  unsetenv("NODE_CHANNEL_SERIALIZATION_MODE");

  if (netns != NULL) {
    int fd = open(netns, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) return fail("setns", netns);
    close(fd);
  }
  for (int c = 0; c < ncgroups; c++)
    if (write_pid(cgroups[c]) < 0) return fail("attach", cgroups[c]);

  struct rlimit no_core = {0, 0};
  if (setrlimit(RLIMIT_CORE, &no_core) < 0) return fail("setrlimit", NULL);
  if (setgroups(0, NULL) < 0) return fail("setgroups", NULL);
  if (setresgid((gid_t)gid, (gid_t)gid, (gid_t)gid) < 0) return fail("setresgid", NULL);
  if (setresuid((uid_t)uid, (uid_t)uid, (uid_t)uid) < 0) return fail("setresuid", NULL);
  /* after the uid change, which would clear it */
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0) return fail("prctl", NULL);
  if (getppid() != parent) return 112; /* Flint died before PDEATHSIG was armed */
  if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) return fail("prctl subreaper", NULL);

  char **run = &argv[i], **env = environ;
  struct command sent;
  if (command_fd >= 0) {
    /* in its namespace and cgroups, as the sandbox's user: Flint may send the command */
    if (write((int)command_fd, "j", 1) != 1) return fail("write to command fd", NULL);
    int got = read_command((int)command_fd, &sent);
    if (got < 0) return fail("read command from fd", NULL);
    if (got == 0) return 0; /* given up before it was needed */
    run = sent.argv;
    env = sent.envp;
  }

  pid_t me = getpid();
  pid_t child = fork();
  if (child < 0) return fail("fork", NULL);
  if (child == 0) {
    /* PDEATHSIG is not inherited; it survives the exec of a non-setuid program */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != me) _exit(112);
    if (command_fd >= 0) execve(run[0], run, env);
    else execvp(run[0], run);
    _exit(fail("exec", run[0]));
  }
  /* hold no end of the pipes meant for the child */
  if (syscall(SYS_close_range, 3, ~0U, 0) < 0)
    for (int fd = 3; fd < 1024; fd++) close(fd);
  int exit_code = 111;
  for (;;) {
    int status;
    pid_t died = wait(&status);
    if (died < 0) {
      if (errno == EINTR) continue;
      break; /* ECHILD: nothing left */
    }
    if (died == child)
      exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  return exit_code;
}

static int open_in_sandbox(const char *pid, const char *rel, int flags) {
  char path[256];
  snprintf(path, sizeof path, "/proc/%s/%s", pid, rel);
  return open(path, flags | O_CLOEXEC);
}

static int clone_read_only(const char *dir) {
  int tree = (int)syscall(SYS_open_tree, AT_FDCWD, dir, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
  if (tree < 0) return -1;
  struct mount_attr attr = {
    .attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV,
    .propagation = MS_PRIVATE,
  };
  if (syscall(SYS_mount_setattr, tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) < 0) return -1;
  return tree;
}

/* The message of the last failed specialisation (one line). */
static char spec_error[512];

static int spec_fail(const char *what, const char *arg) {
  snprintf(spec_error, sizeof spec_error, "%s %s: %s", what, arg ? arg : "", strerror(errno));
  return -1;
}

static void close_if_open(int fd) {
  if (fd >= 0) close(fd);
}

/*
 * Mounts TASK at /var/task and OPT at /opt of the sandbox whose process PID is
 * given (read-only, each optional) and resizes its /tmp to TMP_SIZE bytes.
 * Everything is opened before entering the sandbox's mount namespace, where only
 * move_mount runs on those descriptors. With HOME_NS (a descriptor of this
 * process's own mount namespace) the caller goes back there afterwards, so a
 * long-lived server needs no fork per request; a caller that cannot go back
 * (setns failing) exits, as it can no longer be trusted with the next request.
 * Returns 0, or -1 with spec_error set. Leaves no descriptor open.
 */
static int specialize(const char *pid, const char *task, const char *opt, const char *tmp_size, int home_ns) {
  int task_tree = -1, task_target = -1, opt_tree = -1, opt_target = -1, ns = -1, rc = -1;
  if (task != NULL) {
    if ((task_tree = clone_read_only(task)) < 0) { spec_fail("open_tree", task); goto out; }
    if ((task_target = open_in_sandbox(pid, "root/var/task", O_PATH | O_DIRECTORY)) < 0) { spec_fail("open", "/var/task"); goto out; }
  }
  if (opt != NULL) {
    if ((opt_tree = clone_read_only(opt)) < 0) { spec_fail("open_tree", opt); goto out; }
    if ((opt_target = open_in_sandbox(pid, "root/opt", O_PATH | O_DIRECTORY)) < 0) { spec_fail("open", "/opt"); goto out; }
  }
  if (tmp_size != NULL) {
    char path[256];
    snprintf(path, sizeof path, "/proc/%s/root/tmp", pid);
    int fs = (int)syscall(SYS_fspick, AT_FDCWD, path, FSPICK_CLOEXEC);
    if (fs < 0) { spec_fail("fspick", path); goto out; }
    int failed = 0;
    if (syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, "size", tmp_size, 0) < 0) failed = spec_fail("fsconfig size", tmp_size);
    else if (syscall(SYS_fsconfig, fs, FSCONFIG_CMD_RECONFIGURE, NULL, NULL, 0) < 0) failed = spec_fail("reconfigure", path);
    close(fs);
    if (failed) goto out;
  }
  if (task_tree < 0 && opt_tree < 0) { rc = 0; goto out; }
  if ((ns = open_in_sandbox(pid, "ns/mnt", O_RDONLY)) < 0 || setns(ns, CLONE_NEWNS) < 0) { spec_fail("setns mnt of", pid); goto out; }
  const unsigned flags = MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH;
  rc = 0;
  if (task_tree >= 0 && syscall(SYS_move_mount, task_tree, "", task_target, "", flags) < 0) rc = spec_fail("move_mount", "/var/task");
  if (rc == 0 && opt_tree >= 0 && syscall(SYS_move_mount, opt_tree, "", opt_target, "", flags) < 0) rc = spec_fail("move_mount", "/opt");
  if (home_ns >= 0 && (setns(home_ns, CLONE_NEWNS) < 0 || chdir("/") < 0)) {
    fprintf(stderr, "flint-sandbox-helper: cannot return to its own mount namespace: %s\n", strerror(errno));
    exit(1);
  }
out:
  close_if_open(task_tree);
  close_if_open(task_target);
  close_if_open(opt_tree);
  close_if_open(opt_target);
  close_if_open(ns);
  return rc;
}

static int cmd_specialize(int argc, char **argv) {
  if (argc < 1) { errno = EINVAL; return fail("usage: specialize PID [--task DIR] [--opt DIR] [--tmp-size BYTES]", NULL); }
  const char *pid = argv[0];
  const char *task = NULL, *opt = NULL, *tmp_size = NULL;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (strcmp(argv[i], "--task") == 0) task = argv[i + 1];
    else if (strcmp(argv[i], "--opt") == 0) opt = argv[i + 1];
    else if (strcmp(argv[i], "--tmp-size") == 0) tmp_size = argv[i + 1];
    else { errno = EINVAL; return fail("unknown option", argv[i]); }
  }
  if (specialize(pid, task, opt, tmp_size, -1) == 0) return 0;
  fprintf(stderr, "flint-sandbox-helper: %s\n", spec_error);
  return 111;
}

/*
 * Configures the sandbox side of the slot whose namespace is NETNS, entering it
 * and coming back to HOME_NET; exits if it cannot come back. 0, or -1 with spec_error set.
 */
static int netconf(const char *netns, const char *address, const char *gateway, const char *mac, const char *mode, int home_net) {
  if (strcmp(mode, "bridge") != 0 && strcmp(mode, "isolated") != 0) { errno = EINVAL; return spec_fail("mode", mode); }
  int ns = open(netns, O_RDONLY | O_CLOEXEC);
  if (ns < 0 || setns(ns, CLONE_NEWNET) < 0) {
    spec_fail("setns net", netns);
    close_if_open(ns);
    return -1;
  }
  close(ns);
  int rc = configure_sandbox_network(address, gateway, mac, strcmp(mode, "bridge") == 0, spec_error, sizeof spec_error);
  if (setns(home_net, CLONE_NEWNET) < 0) {
    fprintf(stderr, "flint-sandbox-helper: cannot return to its own network namespace: %s\n", strerror(errno));
    exit(1);
  }
  return rc;
}

/* One request of `serve`, run in this process: it enters the sandbox's namespace and comes back to its own. */
static void serve_one(char *line, int home_mnt, int home_net) {
  char *fields[7];
  int n = 0;
  for (char *save = NULL, *f = strtok_r(line, "\t", &save); f != NULL && n < 7; f = strtok_r(NULL, "\t", &save)) fields[n++] = f;
  int rc;
  if (n == 5 && strcmp(fields[0], "specialize") == 0) {
    const char *opt = strcmp(fields[3], "-") == 0 ? NULL : fields[3];
    const char *task = strcmp(fields[2], "-") == 0 ? NULL : fields[2];
    const char *tmp_size = strcmp(fields[4], "-") == 0 ? NULL : fields[4];
    rc = specialize(fields[1], task, opt, tmp_size, home_mnt);
  } else if (n == 6 && strcmp(fields[0], "netconf") == 0) {
    rc = netconf(fields[1], fields[2], fields[3], fields[4], fields[5], home_net);
  } else {
    printf("error malformed request\n");
    return;
  }
  if (rc == 0) printf("ok\n");
  else printf("error %s\n", spec_error);
}

static int cmd_serve(void) {
  int home_mnt = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
  if (home_mnt < 0) return fail("open", "/proc/self/ns/mnt");
  int home_net = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  if (home_net < 0) return fail("open", "/proc/self/ns/net");
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  setvbuf(stdout, NULL, _IOLBF, 0);
  while ((len = getline(&line, &cap, stdin)) > 0) {
    if (line[len - 1] == '\n') line[len - 1] = 0;
    serve_one(line, home_mnt, home_net);
  }
  free(line);
  return 0;
}

static void on_sigchld(int sig) { (void)sig; }

static pid_t start_runtime(char **argv, const sigset_t *orig) {
  pid_t pid = fork();
  if (pid == 0) {
    signal(SIGCHLD, SIG_DFL);
    sigprocmask(SIG_SETMASK, orig, NULL);
    execvp(argv[0], argv);
    fail("exec", argv[0]);
    _exit(127);
  }
  return pid;
}

/* Kills every other process of the pid namespace and reaps them all. */
static void kill_all_and_reap(void) {
  kill(-1, SIGKILL);
  while (waitpid(-1, NULL, 0) > 0 || errno == EINTR) {
  }
}

/* A TCP socket listening on HOST:PORT (IPv4), closed on exec; -1 on failure. */
static int listen_on(const char *host_port) {
  char host[64];
  const char *colon = strrchr(host_port, ':');
  if (colon == NULL || (size_t)(colon - host_port) >= sizeof host) { errno = EINVAL; return -1; }
  memcpy(host, host_port, (size_t)(colon - host_port));
  host[colon - host_port] = 0;
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)strtol(colon + 1, NULL, 10))};
  if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) { errno = EINVAL; return -1; }
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int on = 1;
  if (fd < 0) return -1;
  /* the namespace may have served an earlier sandbox: its connections may linger in TIME_WAIT */
  if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) < 0 || bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0 ||
      listen(fd, SOMAXCONN) < 0) {
    int saved = errno;
    close(fd);
    errno = saved;
    return -1;
  }
  return fd;
}

/* Sends FD to Flint over its IPC channel as a Node handle (net.Native), then closes our copy. */
static int hand_over(int ctl, int fd, const char *host_port) {
  char line[160];
  int len = snprintf(line, sizeof line, "{\"cmd\":\"NODE_HANDLE\",\"type\":\"net.Native\",\"msg\":{\"runtimeApi\":\"%s\"}}\n", host_port);
  if (len <= 0 || (size_t)len >= sizeof line) { errno = EINVAL; return -1; }
  struct iovec iov = {.iov_base = line, .iov_len = (size_t)len};
  union { struct cmsghdr align; char buf[CMSG_SPACE(sizeof(int))]; } control;
  memset(&control, 0, sizeof control);
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof control.buf};
  struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
  cmsg->cmsg_level = SOL_SOCKET;
  cmsg->cmsg_type = SCM_RIGHTS;
  cmsg->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
  ssize_t sent;
  do sent = sendmsg(ctl, &msg, MSG_NOSIGNAL);
  while (sent < 0 && errno == EINTR);
  close(fd);
  return sent == len ? 0 : -1;
}

static int cmd_supervise(int argc, char **argv) {
  if (argc < 3) { errno = EINVAL; return fail("usage: supervise FD [--runtime-api HOST:PORT] -- ARGV", NULL); }
  int ctl = (int)strtol(argv[0], NULL, 10);
  const char *runtime_api = NULL;
  int at = 1;
  if (strcmp(argv[at], "--runtime-api") == 0 && at + 1 < argc) { runtime_api = argv[at + 1]; at += 2; }
  if (at + 1 >= argc || strcmp(argv[at], "--") != 0) { errno = EINVAL; return fail("usage: supervise FD [--runtime-api HOST:PORT] -- ARGV", NULL); }
  if (fcntl(ctl, F_SETFD, FD_CLOEXEC) < 0) return fail("control descriptor", argv[0]);
  char **command = argv + at + 1;
  if (runtime_api != NULL) {
    int listener = listen_on(runtime_api);
    if (listener < 0) return fail("listen on", runtime_api);
    if (hand_over(ctl, listener, runtime_api) < 0) return fail("hand over the Runtime API listener", NULL);
  }
  sigset_t chld, orig;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  struct sigaction sa = {0};
  sa.sa_handler = on_sigchld;
  sigaction(SIGCHLD, &sa, NULL);
  sigprocmask(SIG_BLOCK, &chld, &orig);
  sigset_t wait_mask = orig;
  sigdelset(&wait_mask, SIGCHLD);

  int last_status = 0;
  pid_t runtime = start_runtime(command, &orig);
  if (runtime < 0) return fail("fork", NULL);
  char buf[512];
  size_t used = 0;
  for (;;) {
    int status;
    pid_t died;
    while ((died = waitpid(-1, &status, WNOHANG)) > 0) {
      if (died != runtime) continue; /* an orphan: reaped, nothing to report */
      runtime = 0;
      last_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      kill_all_and_reap();
      char line[32];
      int len = snprintf(line, sizeof line, "{\"exit\":%d}\n", last_status);
      if (write(ctl, line, (size_t)len) != len) { kill_all_and_reap(); return last_status; }
    }
    struct pollfd pfd = {.fd = ctl, .events = POLLIN};
    int ready = ppoll(&pfd, 1, NULL, &wait_mask);
    if (ready < 0) continue; /* EINTR: a child ended */
    ssize_t n = read(ctl, buf + used, sizeof buf - used);
    if (n <= 0) {
      if (n < 0 && errno == EINTR) continue;
      kill_all_and_reap();
      return last_status;
    }
    used += (size_t)n;
    char *nl;
    while ((nl = memchr(buf, '\n', used)) != NULL) {
      *nl = 0;
      if (strcmp(buf, "\"kill\"") == 0 && runtime > 0) kill(-1, SIGKILL);
      else if (strcmp(buf, "\"start\"") == 0 && runtime == 0) {
        runtime = start_runtime(command, &orig);
        if (runtime < 0) {
          runtime = 0;
          if (write(ctl, "{\"exit\":111}\n", 13) != 13) return 111;
        }
      }
      size_t consumed = (size_t)(nl - buf) + 1;
      memmove(buf, nl + 1, used - consumed);
      used -= consumed;
    }
    if (used == sizeof buf) used = 0; /* an overlong line: dropped */
  }
}

int main(int argc, char **argv) {
  if (argc >= 2 && strcmp(argv[1], "exec") == 0) return cmd_exec(argc - 2, argv + 2);
  if (argc >= 2 && strcmp(argv[1], "specialize") == 0) return cmd_specialize(argc - 2, argv + 2);
  if (argc >= 2 && strcmp(argv[1], "serve") == 0) return cmd_serve();
  if (argc >= 2 && strcmp(argv[1], "supervise") == 0) return cmd_supervise(argc - 2, argv + 2);
  fprintf(stderr, "usage: flint-sandbox-helper exec|specialize|serve|supervise ...\n");
  return 2;
}
