#include "sim_pty.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static int fail(char *err, size_t cap, const char *what)
{
    snprintf(err, cap, "%s: %s", what, strerror(errno));
    return -1;
}

int sim_pty_open(sim_pty_t *p, const char *link_path, char *err, size_t cap)
{
    struct termios tio;
    memset(p, 0, sizeof *p);
    p->fd = posix_openpt(O_RDWR | O_NOCTTY);
    if (p->fd < 0)
        return fail(err, cap, "posix_openpt");
    if (grantpt(p->fd) != 0 || unlockpt(p->fd) != 0)
        return fail(err, cap, "grantpt/unlockpt");
    const char *name = ptsname(p->fd);
    if (!name)
        return fail(err, cap, "ptsname");
    snprintf(p->name, sizeof p->name, "%s", name);
    /* Raw both ways: no echo of our frames back to us, no CR/LF rewriting of binary data.
     * On Linux the termios of a pty pair can be set through the master. */
    if (tcgetattr(p->fd, &tio) != 0)
        return fail(err, cap, "tcgetattr");
    cfmakeraw(&tio);
    if (tcsetattr(p->fd, TCSANOW, &tio) != 0)
        return fail(err, cap, "tcsetattr");
    /* Open and close the slave once: from then on "no host" shows as POLLHUP/EIO. A
     * never-opened slave looks like a connected, silent host and would buffer stale output. */
    int s = open(p->name, O_RDWR | O_NOCTTY);
    if (s < 0)
        return fail(err, cap, p->name);
    close(s);
    int fl = fcntl(p->fd, F_GETFL);
    if (fl < 0 || fcntl(p->fd, F_SETFL, fl | O_NONBLOCK) != 0)
        return fail(err, cap, "fcntl O_NONBLOCK");
    if (link_path && *link_path) {
        struct stat st;
        if (lstat(link_path, &st) == 0) {
            if (!S_ISLNK(st.st_mode)) {
                snprintf(err, cap, "--link %s exists and is not a symlink; refusing to replace it", link_path);
                return -1;
            }
            unlink(link_path);
        }
        if (symlink(p->name, link_path) != 0)
            return fail(err, cap, link_path);
        snprintf(p->link_path, sizeof p->link_path, "%s", link_path);
    }
    return 0;
}

void sim_pty_close(sim_pty_t *p)
{
    if (p->link_path[0])
        unlink(p->link_path);
    if (p->fd >= 0)
        close(p->fd);
    p->fd = -1;
}

size_t sim_pty_pending(const sim_pty_t *p) { return p->out_len; }

size_t sim_pty_queue(sim_pty_t *p, const uint8_t *data, size_t len)
{
    if (!p->host_present || len > SIM_PTY_OUT_CAP - p->out_len) {
        p->rejected_bytes += len;
        return 0;
    }
    memcpy(p->out + p->out_len, data, len);
    p->out_len += len;
    return len;
}

static void set_presence(sim_pty_t *p, int present, const sim_pty_events_t *ev)
{
    if (present == p->host_present)
        return;
    p->host_present = present;
    if (!present) {
        /* Whatever the old host did not read is meant for nobody now. */
        p->out_len = 0;
        tcflush(p->fd, TCIOFLUSH);
    }
    if (ev && ev->on_presence)
        ev->on_presence(ev->ctx, present);
}

static void flush_out(sim_pty_t *p)
{
    while (p->out_len > 0) {
        ssize_t w = write(p->fd, p->out, p->out_len);
        if (w <= 0)
            return; /* EAGAIN: the host is slow; keep the rest queued */
        memmove(p->out, p->out + w, p->out_len - (size_t)w);
        p->out_len -= (size_t)w;
    }
}

void sim_pty_pump(sim_pty_t *p, int timeout_ms, const sim_pty_events_t *ev)
{
    struct pollfd pfd = { p->fd, POLLIN, 0 };
    if (poll(&pfd, 1, 0) >= 0)
        set_presence(p, !(pfd.revents & POLLHUP), ev);
    if (!p->host_present) {
        /* POLLHUP makes poll return at once, so sleep instead of spinning. */
        if (timeout_ms > 0) {
            struct timespec ts = { timeout_ms / 1000, (long)(timeout_ms % 1000) * 1000000L };
            nanosleep(&ts, NULL);
        }
        return;
    }
    flush_out(p);
    pfd.events = POLLIN;
    pfd.revents = 0;
    if (timeout_ms > 0 && poll(&pfd, 1, timeout_ms) <= 0)
        return;
    uint8_t buf[4096];
    for (;;) {
        ssize_t r = read(p->fd, buf, sizeof buf);
        if (r > 0) {
            if (ev && ev->on_bytes)
                ev->on_bytes(ev->ctx, buf, (size_t)r);
            continue;
        }
        if (r < 0 && errno == EIO)
            set_presence(p, 0, ev);
        break;
    }
    flush_out(p);
}
