/*
 * The sandbox side of a network slot, configured over rtnetlink in the network
 * namespace the caller is in (what `ip -n NETNS -batch` did from a spawned
 * process: network-commands.ts keeps the host side). Every step creates or
 * replaces, so a slot given back to the pool can be configured again.
 *
 *   eth0: no IPv6 link-local address (addrgenmode none), ADDR/32, up
 *   lo: up
 *   GATEWAY/32 on eth0 (scope link), and with DEFAULT_ROUTE a default route via it
 *   GATEWAY's neighbour entry: GATEWAY_MAC, permanent
 */
#define _GNU_SOURCE
#include "netns-config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct request {
  struct nlmsghdr head;
  char body[512];
};

static char *config_error;
static size_t config_error_len;

static int config_fail(const char *what, int err) {
  snprintf(config_error, config_error_len, "%s: %s", what, strerror(err));
  errno = err;
  return -1;
}

static void begin(struct request *r, unsigned short type, unsigned short flags, const void *msg, size_t len) {
  memset(r, 0, sizeof *r);
  r->head.nlmsg_type = type;
  r->head.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
  r->head.nlmsg_len = NLMSG_LENGTH(len);
  memcpy(NLMSG_DATA(&r->head), msg, len);
}

static struct rtattr *attr(struct request *r, unsigned short type, const void *data, size_t len) {
  struct rtattr *a = (struct rtattr *)((char *)&r->head + NLMSG_ALIGN(r->head.nlmsg_len));
  a->rta_type = type;
  a->rta_len = (unsigned short)RTA_LENGTH(len);
  if (len > 0) memcpy(RTA_DATA(a), data, len);
  r->head.nlmsg_len = NLMSG_ALIGN(r->head.nlmsg_len) + RTA_ALIGN(a->rta_len);
  return a;
}

static void end_nest(struct request *r, struct rtattr *nest) {
  nest->rta_len = (unsigned short)((char *)&r->head + r->head.nlmsg_len - (char *)nest);
}

/* Sends one request and waits for its acknowledgement; -1 with errno set to the kernel's answer. */
static int talk(int fd, struct request *r, const char *what) {
  static unsigned seq;
  r->head.nlmsg_seq = ++seq;
  if (send(fd, r, r->head.nlmsg_len, 0) < 0) return config_fail(what, errno);
  char answer[1024];
  for (;;) {
    ssize_t n = recv(fd, answer, sizeof answer, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return config_fail(what, errno);
    }
    for (struct nlmsghdr *h = (struct nlmsghdr *)answer; NLMSG_OK(h, (unsigned)n); h = NLMSG_NEXT(h, n)) {
      if (h->nlmsg_seq != r->head.nlmsg_seq || h->nlmsg_type != NLMSG_ERROR) continue;
      int err = -((struct nlmsgerr *)NLMSG_DATA(h))->error;
      return err == 0 ? 0 : config_fail(what, err);
    }
  }
}

static int link_up(int fd, int index, const char *what) {
  struct ifinfomsg link = {.ifi_family = AF_UNSPEC, .ifi_index = index, .ifi_flags = IFF_UP, .ifi_change = IFF_UP};
  struct request r;
  begin(&r, RTM_NEWLINK, 0, &link, sizeof link);
  return talk(fd, &r, what);
}

static int no_ipv6_address(int fd, int index) {
  struct ifinfomsg link = {.ifi_family = AF_UNSPEC, .ifi_index = index};
  struct request r;
  begin(&r, RTM_NEWLINK, 0, &link, sizeof link);
  struct rtattr *spec = attr(&r, IFLA_AF_SPEC, NULL, 0);
  struct rtattr *inet6 = attr(&r, AF_INET6, NULL, 0);
  unsigned char mode = IN6_ADDR_GEN_MODE_NONE;
  attr(&r, IFLA_INET6_ADDR_GEN_MODE, &mode, sizeof mode);
  end_nest(&r, inet6);
  end_nest(&r, spec);
  return talk(fd, &r, "eth0 addrgenmode none");
}

static int add_address(int fd, int index, struct in_addr address) {
  struct ifaddrmsg a = {.ifa_family = AF_INET, .ifa_prefixlen = 32, .ifa_scope = RT_SCOPE_UNIVERSE, .ifa_index = (unsigned)index};
  struct request r;
  begin(&r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE, &a, sizeof a);
  attr(&r, IFA_LOCAL, &address, sizeof address);
  attr(&r, IFA_ADDRESS, &address, sizeof address);
  return talk(fd, &r, "eth0 address");
}

/* GATEWAY/32 on the link (DEFAULT_ROUTE 0), or the default route via GATEWAY (1). */
static int add_route(int fd, int index, struct in_addr gateway, int default_route) {
  struct rtmsg route = {
    .rtm_family = AF_INET,
    .rtm_dst_len = default_route ? 0 : 32,
    .rtm_table = RT_TABLE_MAIN,
    .rtm_protocol = RTPROT_BOOT,
    .rtm_scope = default_route ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK,
    .rtm_type = RTN_UNICAST,
  };
  struct request r;
  begin(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, &route, sizeof route);
  attr(&r, default_route ? RTA_GATEWAY : RTA_DST, &gateway, sizeof gateway);
  uint32_t oif = (uint32_t)index;
  attr(&r, RTA_OIF, &oif, sizeof oif);
  return talk(fd, &r, default_route ? "default route" : "gateway route");
}

static int add_neighbour(int fd, int index, struct in_addr gateway, const unsigned char mac[6]) {
  struct ndmsg n = {.ndm_family = AF_INET, .ndm_ifindex = index, .ndm_state = NUD_PERMANENT};
  struct request r;
  begin(&r, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE, &n, sizeof n);
  attr(&r, NDA_DST, &gateway, sizeof gateway);
  attr(&r, NDA_LLADDR, mac, 6);
  return talk(fd, &r, "gateway neighbour");
}

int configure_sandbox_network(const char *address, const char *gateway, const char *gateway_mac, int default_route, char *error,
                              size_t error_len) {
  config_error = error;
  config_error_len = error_len;
  struct in_addr addr, gw;
  unsigned char mac[6];
  if (inet_pton(AF_INET, address, &addr) != 1) return config_fail("address", EINVAL);
  if (inet_pton(AF_INET, gateway, &gw) != 1) return config_fail("gateway", EINVAL);
  if (sscanf(gateway_mac, "%2hhx:%2hhx:%2hhx:%2hhx:%2hhx:%2hhx", &mac[0], &mac[1], &mac[2], &mac[3], &mac[4], &mac[5]) != 6)
    return config_fail("gateway mac", EINVAL);
  int eth0 = (int)if_nametoindex("eth0"), lo = (int)if_nametoindex("lo");
  if (eth0 == 0 || lo == 0) return config_fail("eth0 or lo", errno);
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) return config_fail("netlink socket", errno);
  int rc = no_ipv6_address(fd, eth0);
  if (rc == 0) rc = link_up(fd, lo, "lo up");
  if (rc == 0) rc = add_address(fd, eth0, addr);
  if (rc == 0) rc = link_up(fd, eth0, "eth0 up");
  if (rc == 0) rc = add_route(fd, eth0, gw, 0);
  if (rc == 0 && default_route) rc = add_route(fd, eth0, gw, 1);
  if (rc == 0) rc = add_neighbour(fd, eth0, gw, mac);
  int saved = errno;
  close(fd);
  errno = saved;
  return rc;
}
