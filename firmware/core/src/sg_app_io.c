/* Output side of the app: console lines and wire frames. Each frame goes out in a single
 * link_write call and each line in a single log_line call, so a console line can never be
 * emitted in the middle of a frame (the platform writes lines only between its writes). */
#include <stdarg.h>
#include <stdio.h>
#include "sg_app_impl.h"
#include "sg_frame.h"

void sg_app_log(sg_app_t *app, const char *fmt, ...)
{
    char line[SG_APP_LINE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (app->plat.log_line)
        app->plat.log_line(app->plat.ctx, line);
}

int sg_app_send(sg_app_t *app, uint8_t type, const uint8_t *payload, size_t len)
{
    size_t n = sg_frame_encode(type, app->tx_seq, payload, (uint16_t)len, app->tx_wire, sizeof app->tx_wire);
    /* The sequence number advances even for a frame the link refuses, so the host sees the
     * gap instead of a silently missing frame. */
    app->tx_seq++;
    if (n == 0 || len > SG_PROTOCOL_MAX_PAYLOAD) {
        app->tx_dropped_frames++;
        return -1;
    }
    size_t took = app->plat.link_write ? app->plat.link_write(app->plat.ctx, app->tx_wire, n) : 0;
    if (took < n) {
        app->tx_dropped_frames++;
        app->tx_dropped_bytes += (uint32_t)(n - took);
        return -1;
    }
    app->tx_frames++;
    return 0;
}

uint32_t sg_app_now(const sg_app_t *app)
{
    return app->plat.now_ms ? app->plat.now_ms(app->plat.ctx) : 0;
}
