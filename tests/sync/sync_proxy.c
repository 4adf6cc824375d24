/* sync_proxy.c - a faulty TCP proxy on loopback for sync_faults.sh: one
 * connection at a time, each with a fault drawn at random (seeded):
 *
 *   pass       relays both ways
 *   drop       closes the client's connection at once
 *   delay      waits 0-2000 ms before relaying (the client may time out)
 *   cut-up     relays only the first 0-8000 bytes from the client (TLS
 *              handshake and request), then closes both: the server gets a
 *              truncated handshake or upload
 *   cut-down   relays the client's side whole but only the first 0-3000
 *              bytes of the server's (handshake and answer), then closes:
 *              the server may have stored the bundle, the kiosk never sees
 *              the acknowledgement
 *   reset      as cut-down, but resets the client's connection (RST)
 *
 *   sync_proxy PORTFILE UPSTREAM_PORT SEED
 * Listens on 127.0.0.1 (free port written to PORTFILE); one line per
 * connection on stderr ("fault N: cut-down 212"). Runs until killed. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { PASS, DROP, DELAY, CUT_UP, CUT_DOWN, RESET, N_FAULTS };
static const char *const names[] = {"pass", "drop", "delay", "cut-up", "cut-down", "reset"};

static int write_all(int fd, const char *b, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, b, n, MSG_NOSIGNAL);
        if (w <= 0)
            return -1;
        b += w;
        n -= (size_t)w;
    }
    return 0;
}

static void hard_close(int fd)
{
    struct linger l = {1, 0};

    setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    close(fd);
}

/* Relays until EOF on either side or a limit; up/down: bytes allowed. */
static void relay(int c, int u, long up, long down)
{
    struct pollfd p[2];
    char buf[4096];
    ssize_t n;

    for (;;) {
        p[0].fd = c;
        p[1].fd = u;
        p[0].events = p[1].events = POLLIN;
        if (poll(p, 2, 30000) <= 0)
            return;
        if (p[0].revents) {
            n = recv(c, buf, sizeof buf, 0);
            if (n <= 0)
                return;
            if (n > up)
                n = up;
            if (write_all(u, buf, (size_t)n) != 0)
                return;
            up -= n;
            if (up == 0)
                return;
        }
        if (p[1].revents) {
            n = recv(u, buf, sizeof buf, 0);
            if (n <= 0)
                return;
            if (n > down)
                n = down;
            if (write_all(c, buf, (size_t)n) != 0)
                return;
            down -= n;
            if (down == 0)
                return;
        }
    }
}

int main(int argc, char **argv)
{
    struct sockaddr_in a;
    socklen_t al = sizeof a;
    int l, c, u, fault, count = 0;
    long arg;
    FILE *f;

    if (argc != 4)
        return fprintf(stderr, "usage: sync_proxy PORTFILE UPSTREAM_PORT SEED\n"), 2;
    srand((unsigned)atoi(argv[3]));
    l = socket(AF_INET, SOCK_STREAM, 0);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof a) != 0 || listen(l, 16) != 0 ||
        getsockname(l, (struct sockaddr *)&a, &al) != 0)
        return perror("listen"), 1;
    f = fopen(argv[1], "w");
    if (f == NULL || fprintf(f, "%u\n", ntohs(a.sin_port)) < 0 || fclose(f) != 0)
        return perror(argv[1]), 1;
    for (;;) {
        c = accept(l, NULL, NULL);
        if (c < 0)
            continue;
        fault = rand() % N_FAULTS;
        arg = 0;
        if (fault == DELAY)
            arg = rand() % 2000;
        else if (fault == CUT_UP)
            arg = rand() % 8000;
        else if (fault == CUT_DOWN || fault == RESET)
            arg = rand() % 3000;
        fprintf(stderr, "fault %d: %s %ld\n", ++count, names[fault], arg);
        if (fault == DROP) {
            close(c);
            continue;
        }
        if (fault == DELAY) {
            struct timespec ts = {arg / 1000, (arg % 1000) * 1000000L};
            nanosleep(&ts, NULL);
        }
        u = socket(AF_INET, SOCK_STREAM, 0);
        a.sin_port = htons((unsigned short)atoi(argv[2]));
        if (u < 0 || connect(u, (struct sockaddr *)&a, sizeof a) != 0) {
            close(c);
            if (u >= 0)
                close(u);
            continue;
        }
        relay(c, u, fault == CUT_UP ? arg : 1L << 40,
              fault == CUT_DOWN || fault == RESET ? arg : 1L << 40);
        if (fault == RESET)
            hard_close(c);
        else
            close(c);
        close(u);
    }
}
