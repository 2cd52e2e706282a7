/* Audio into the app: microphone (I2S slots or PCM) or host-injected audio, through the
 * frontend, cut into the 20 ms frames that sg_app_process_frame() works on. */
#include <string.h>
#include "sg_app_impl.h"

/* Clean (post-frontend) samples into 20 ms frames. */
static void push_clean(sg_app_t *app, const int16_t *pcm, size_t n)
{
    while (n > 0) {
        size_t take = SG_AUDIO_FRAME_SAMPLES - app->frame_fill;
        if (take > n)
            take = n;
        memcpy(app->frame + app->frame_fill, pcm, take * sizeof *pcm);
        app->frame_fill = (uint16_t)(app->frame_fill + take);
        pcm += take;
        n -= take;
        if (app->frame_fill == SG_AUDIO_FRAME_SAMPLES) {
            app->frame_fill = 0;
            sg_app_process_frame(app);
        }
    }
}

void sg_app_feed(sg_app_t *app, const int16_t *pcm, size_t n)
{
    int16_t tmp[SG_AUDIO_FRAME_SAMPLES];
    while (n > 0) {
        size_t take = n < SG_AUDIO_FRAME_SAMPLES ? n : SG_AUDIO_FRAME_SAMPLES;
        sg_frontend_process_pcm(&app->fe, pcm, tmp, take);
        push_clean(app, tmp, take);
        pcm += take;
        n -= take;
    }
}

/* While injected audio is playing, the microphone is switched out. */
static int mic_muted(sg_app_t *app, size_t n)
{
    if (app->injecting && (int32_t)(sg_app_now(app) - app->inject_until_ms) >= 0)
        app->injecting = 0;
    if (app->injecting)
        app->mic_dropped_samples += (uint32_t)n;
    return app->injecting;
}

void sg_app_on_pcm(sg_app_t *app, const int16_t *pcm, size_t n)
{
    if (!mic_muted(app, n))
        sg_app_feed(app, pcm, n);
}

void sg_app_on_i2s(sg_app_t *app, const int32_t *slots, size_t n)
{
    int16_t tmp[SG_AUDIO_FRAME_SAMPLES];
    if (mic_muted(app, n))
        return;
    while (n > 0) {
        size_t take = n < SG_AUDIO_FRAME_SAMPLES ? n : SG_AUDIO_FRAME_SAMPLES;
        sg_frontend_process_i2s(&app->fe, slots, tmp, take);
        push_clean(app, tmp, take);
        slots += take;
        n -= take;
    }
}

void sg_app_inject(sg_app_t *app, const sg_msg_audio_t *a)
{
    int16_t pcm[SG_AUDIO_FRAME_SAMPLES];
    sg_adpcm_state_t st = { a->predictor, a->step_index };
    const uint8_t *d = a->data;
    size_t left = a->n_samples;
    app->injecting = 1;
    app->inject_until_ms = sg_app_now(app) + SG_APP_INJECT_HOLD_MS;
    while (left > 0) {
        size_t take = left < SG_AUDIO_FRAME_SAMPLES ? left : SG_AUDIO_FRAME_SAMPLES; /* even */
        if (a->codec == SG_PROTOCOL_CODEC_IMA_ADPCM) {
            sg_adpcm_decode(&st, d, take, pcm);
            d += take / 2;
        } else {
            for (size_t i = 0; i < take; i++)
                pcm[i] = (int16_t)sg_get_le16(d + 2 * i);
            d += 2 * take;
        }
        sg_app_feed(app, pcm, take);
        left -= take;
    }
}
