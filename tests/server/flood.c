/* flood.c - a network attacker for server_flood.sh: opens N TCP connections
 * to 127.0.0.1:PORT from SRC (another loopback address, so that the test's
 * kiosk, on 127.0.0.1, is another address), sends nothing ("idle"), the
 * first bytes of a TLS handshake ("partial"), 4 KiB of random bytes instead
 * of TLS ("garbage"), or a TLS ClientHello one byte a second ("trickle"),
 * and holds them SECONDS. Prints how many connections were accepted and how
 * many the server closed before the end.
 * Usage: flood SRC PORT N SECONDS idle|partial|garbage|trickle */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    static const unsigned char hello[] = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00};
    struct sockaddr_in src, dst;
    static unsigned char junk[4096];
    int n, secs, partial, garbage, trickle, i, opened = 0, closed = 0, *fd, sent = 0;
    time_t end;

    if (argc != 6) {
        fprintf(stderr, "usage: flood SRC PORT N SECONDS idle|partial|garbage|trickle\n");
        return 2;
    }
    n = atoi(argv[3]);
    secs = atoi(argv[4]);
    partial = strcmp(argv[5], "partial") == 0;
    garbage = strcmp(argv[5], "garbage") == 0;
    trickle = strcmp(argv[5], "trickle") == 0;
    srand((unsigned)time(NULL));
    for (i = 0; i < (int)sizeof junk; i++)
        junk[i] = (unsigned char)rand();
    fd = calloc((size_t)n, sizeof *fd);
    memset(&src, 0, sizeof src);
    src.sin_family = AF_INET;
    memset(&dst, 0, sizeof dst);
    dst.sin_family = AF_INET;
    dst.sin_port = htons((uint16_t)atoi(argv[2]));
    if (fd == NULL || inet_pton(AF_INET, argv[1], &src.sin_addr) != 1 ||
        inet_pton(AF_INET, "127.0.0.1", &dst.sin_addr) != 1) {
        fprintf(stderr, "flood: bad address\n");
        return 2;
    }
    for (i = 0; i < n; i++) {
        fd[i] = socket(AF_INET, SOCK_STREAM, 0);
        if (fd[i] < 0 || bind(fd[i], (struct sockaddr *)&src, sizeof src) != 0 ||
            connect(fd[i], (struct sockaddr *)&dst, sizeof dst) != 0) {
            if (fd[i] >= 0)
                close(fd[i]);
            fd[i] = -1;
            continue;
        }
        opened++;
        if ((partial && send(fd[i], hello, sizeof hello, MSG_NOSIGNAL) < 0) ||
            (garbage && send(fd[i], junk, sizeof junk, MSG_NOSIGNAL) < 0)) {
            close(fd[i]);
            fd[i] = -1;
        }
    }
    end = time(NULL) + secs;
    while (time(NULL) < end) {
        /* a byte a second of the handshake on every connection */
        if (trickle && time(NULL) > end - secs + sent) {
            for (i = 0; i < n; i++)
                if (fd[i] >= 0 && send(fd[i], hello + (size_t)sent % sizeof hello, 1,
                                       MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
                    close(fd[i]);
                    fd[i] = -1;
                    closed++;
                }
            sent++;
        }
        for (i = 0; i < n; i++) {
            struct pollfd p = {fd[i], POLLIN, 0};
            char b[64];

            if (fd[i] < 0 || poll(&p, 1, 0) <= 0)
                continue;
            if (recv(fd[i], b, sizeof b, MSG_DONTWAIT) <= 0) {
                close(fd[i]);
                fd[i] = -1;
                closed++;
            }
        }
        usleep(100000);
    }
    for (i = 0; i < n; i++)
        if (fd[i] >= 0)
            close(fd[i]);
    printf("flood: %d connections opened, %d closed by the server within %d s\n", opened,
           closed, secs);
    free(fd);
    return 0;
}
