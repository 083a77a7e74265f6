// Stop requests for live capture (SIGINT, SIGTERM, SIGALRM for --duration) and dropping root
// privileges after the interface is open (-Z).
#define _GNU_SOURCE
#include "CSupport.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t stop_requested = 0;
static pcap_t *volatile break_target = NULL;

static void on_stop(int signal_number) {
    (void)signal_number;
    stop_requested = 1;
    // Wakes a blocked read (libpcap writes to its wake-up eventfd; tcpdump does the same).
    pcap_t *target = break_target;
    if (target != NULL) pcap_breakloop(target);
}

void dmd_set_break_target(void *pcap) { break_target = (pcap_t *)pcap; }

int dmd_install_stop_signals(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_stop;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;  // no SA_RESTART: a blocked poll() returns with EINTR
    if (sigaction(SIGINT, &action, NULL) != 0) return -1;
    if (sigaction(SIGTERM, &action, NULL) != 0) return -1;
    if (sigaction(SIGALRM, &action, NULL) != 0) return -1;
    // A parent may have started us with these signals blocked (the mask is inherited through
    // fork and exec): --duration and Ctrl-C must work anyway.
    sigset_t stops;
    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    sigaddset(&stops, SIGALRM);
    if (sigprocmask(SIG_UNBLOCK, &stops, NULL) != 0) return -1;
    return 0;
}

int dmd_stop_requested(void) { return stop_requested ? 1 : 0; }

int dmd_drop_privileges(const char *user) {
    struct passwd *entry = getpwnam(user);
    if (entry == NULL) return -1;
    if (initgroups(entry->pw_name, entry->pw_gid) != 0) return -2;
    if (setgid(entry->pw_gid) != 0) return -2;
    if (setuid(entry->pw_uid) != 0) return -2;
    // Must not be able to get root back.
    if (entry->pw_uid != 0 && setuid(0) == 0) return -2;
    return 0;
}
