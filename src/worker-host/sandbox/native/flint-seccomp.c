/*
 * Writes Flint's sandbox seccomp filter as a classic BPF program (the format
 * `bwrap --seccomp FD` loads) to the file named by argv[1].
 *
 * Policy: allow by default, deny what a function never needs. Denied calls fail
 * with EPERM (ENOSYS for clone3 and io_uring so that libc and libuv fall back).
 * Syscalls of other ABIs (i386, x32) kill the process: libseccomp's default for
 * a non-native architecture.
 *
 * Built by scripts/setup-sandbox.sh: gcc -O2 -o .build/flint-seccomp flint-seccomp.c -lseccomp
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

static const char *const denied[] = {
  /* filesystem namespace changes */
  "mount", "umount", "umount2", "pivot_root", "chroot",
  "open_tree", "move_mount", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr",
  /* namespace creation and entry */
  "unshare", "setns",
  /* debugging other processes */
  "ptrace", "process_vm_readv", "process_vm_writev", "kcmp",
  /* kernel modules, kexec, reboot, swap, accounting, quotas */
  "init_module", "finit_module", "delete_module", "kexec_load", "kexec_file_load",
  "reboot", "swapon", "swapoff", "acct", "quotactl", "quotactl_fd",
  /* kernel keyring */
  "keyctl", "add_key", "request_key",
  /* bpf, perf, userfaultfd, kernel log */
  "bpf", "perf_event_open", "userfaultfd", "syslog",
  /* clock changes, file handles, obsolete calls */
  "settimeofday", "clock_settime", "clock_adjtime", "open_by_handle_at",
  "name_to_handle_at", "lookup_dcookie", "uselib", "nfsservctl", "vhangup",
  NULL,
};

static const char *const unimplemented[] = {
  "clone3", "io_uring_setup", "io_uring_enter", "io_uring_register", NULL,
};

static int add_rule(scmp_filter_ctx ctx, uint32_t action, const char *name) {
  int nr = seccomp_syscall_resolve_name(name);
  if (nr == __NR_SCMP_ERROR) return 0; /* unknown on this architecture */
  int rc = seccomp_rule_add(ctx, action, nr, 0);
  if (rc < 0) fprintf(stderr, "flint-seccomp: %s: %d\n", name, rc);
  return rc;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: flint-seccomp OUTPUT.bpf\n");
    return 2;
  }
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  if (ctx == NULL) return 1;
  int rc = 0;
  for (int i = 0; denied[i] != NULL; i++) rc |= add_rule(ctx, SCMP_ACT_ERRNO(EPERM), denied[i]);
  for (int i = 0; unimplemented[i] != NULL; i++) rc |= add_rule(ctx, SCMP_ACT_ERRNO(ENOSYS), unimplemented[i]);

  /* clone with any namespace flag */
  const uint64_t ns_flags = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER |
                            CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP | CLONE_NEWTIME;
  for (int bit = 0; bit < 64; bit++) {
    uint64_t flag = (uint64_t)1 << bit;
    if ((ns_flags & flag) == 0) continue;
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
                           SCMP_A0(SCMP_CMP_MASKED_EQ, flag, flag));
  }
  /* pushing input into a terminal */
  rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
                         SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, TIOCSTI));
  if (rc != 0) {
    seccomp_release(ctx);
    return 1;
  }

  int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    perror("flint-seccomp: open");
    return 1;
  }
  rc = seccomp_export_bpf(ctx, fd);
  seccomp_release(ctx);
  if (rc < 0 || close(fd) < 0) {
    fprintf(stderr, "flint-seccomp: export failed: %d\n", rc);
    return 1;
  }
  return 0;
}
