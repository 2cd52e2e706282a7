/* The simulator's "UART": the master side of a pseudo-terminal.
 *
 * Output is queued whole-or-nothing (a frame or a console line is never torn, so a text
 * line always lands between frames) and written without ever blocking. Host presence comes
 * from the pty itself: while no process holds the slave open the master reports POLLHUP
 * and reads fail with EIO; nothing is queued then, so a host that connects later does not
 * read stale frames. */
#ifndef SIM_PTY_H
#define SIM_PTY_H
#include <stddef.h>
#include <stdint.h>

#define SIM_PTY_OUT_CAP 65536

typedef struct {
    int fd;
    char name[64];
    char link_path[512]; /* symlink to the slave, "" if none */
    int host_present;
    uint8_t out[SIM_PTY_OUT_CAP];
    size_t out_len;
    unsigned long rejected_bytes;
} sim_pty_t;

typedef struct {
    void *ctx;
    void (*on_bytes)(void *ctx, const uint8_t *data, size_t len);
    void (*on_presence)(void *ctx, int present);
} sim_pty_events_t;

/* Returns 0, or -1 with a one-line reason in err. link_path may be NULL. */
int sim_pty_open(sim_pty_t *p, const char *link_path, char *err, size_t errcap);
void sim_pty_close(sim_pty_t *p);
/* Queues len bytes if all of them fit and a host is present; returns len or 0. */
size_t sim_pty_queue(sim_pty_t *p, const uint8_t *data, size_t len);
/* Writes what the pty takes, reads what the host sent, reports presence changes. Waits up
 * to timeout_ms for input (0 = just look). */
void sim_pty_pump(sim_pty_t *p, int timeout_ms, const sim_pty_events_t *ev);
/* Bytes still queued. */
size_t sim_pty_pending(const sim_pty_t *p);

#endif
