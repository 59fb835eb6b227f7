#ifndef FLINT_NETNS_CONFIG_H
#define FLINT_NETNS_CONFIG_H
#include <stddef.h>

/*
 * Configures the sandbox side of a network slot in the caller's current network
 * namespace (netns-config.c). Returns 0, or -1 with errno set and ERROR holding
 * a one-line message.
 */
int configure_sandbox_network(const char *address, const char *gateway, const char *gateway_mac, int default_route, char *error,
                              size_t error_len);

#endif
