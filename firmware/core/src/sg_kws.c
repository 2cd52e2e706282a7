#include "sg_kws.h"
#include <string.h>
#include "sg_params.h"

void sg_kws_init(sg_kws_t *k)
{
    memset(k, 0, sizeof *k);
    k->local_hits = SG_ALERT_LOCAL_ALERT_HITS;
    k->local_window_ms = SG_ALERT_LOCAL_ALERT_WINDOW_MS;
}

void sg_kws_reset(sg_kws_t *k)
{
    memset(k->post, 0, sizeof k->post);
    memset(k->sum, 0, sizeof k->sum);
    k->fill = 0;
    k->pos = 0;
    k->cooling = 0;
    k->n_feat = 0;
}

int sg_kws_set_model(sg_kws_t *k, const sg_kws_model_t *m)
{
    if (m && (!m->infer || m->n_keywords == 0 || m->n_keywords > SG_KWS_MAX_KEYWORDS || m->window == 0 ||
              m->window > SG_KWS_MAX_WINDOW || m->n_features == 0 || m->n_features > SG_KWS_MAX_FEATURES ||
              m->threshold == 0))
        return -1;
    k->model = m;
    sg_kws_reset(k);
    return 0;
}

int sg_kws_active(const sg_kws_t *k) { return k->model != NULL; }

int sg_kws_set_local_alert(sg_kws_t *k, uint32_t hits, uint32_t window_ms)
{
    if (hits < 1 || hits > SG_KWS_MAX_LOCAL_HITS || window_ms < SG_KWS_MIN_LOCAL_WINDOW_MS ||
        window_ms > SG_KWS_MAX_LOCAL_WINDOW_MS)
        return -1;
    k->local_hits = (uint8_t)hits;
    k->local_window_ms = window_ms;
    return 0;
}

static void remember_hit(sg_kws_t *k, uint32_t t_ms)
{
    if (k->n_recent == SG_KWS_MAX_LOCAL_HITS) {
        memmove(k->hit_t, k->hit_t + 1, sizeof k->hit_t[0] * (SG_KWS_MAX_LOCAL_HITS - 1));
        k->n_recent--;
    }
    k->hit_t[k->n_recent++] = t_ms;
}

int sg_kws_push_posteriors(sg_kws_t *k, const uint8_t *posteriors, uint32_t t_ms, sg_kws_hit_t *hit)
{
    const sg_kws_model_t *m = k->model;
    if (!m)
        return 0;
    uint8_t *slot = k->post[k->pos];
    for (int i = 0; i < m->n_keywords; i++) {
        if (k->fill == m->window)
            k->sum[i] = (uint16_t)(k->sum[i] - slot[i]);
        slot[i] = posteriors[i];
        k->sum[i] = (uint16_t)(k->sum[i] + posteriors[i]);
    }
    k->pos = (uint8_t)((k->pos + 1) % m->window);
    if (k->fill < m->window)
        k->fill++;
    if (k->cooling) {
        if ((int32_t)(t_ms - k->cool_until_ms) < 0)
            return 0;
        k->cooling = 0;
    }
    if (k->fill < m->window)
        return 0;
    int best = -1;
    unsigned best_mean = 0;
    for (int i = 0; i < m->n_keywords; i++) {
        unsigned mean = k->sum[i] / m->window;
        if (mean >= m->threshold && mean > best_mean) {
            best = i;
            best_mean = mean;
        }
    }
    if (best < 0)
        return 0;
    hit->id = (uint8_t)best;
    hit->score = (uint8_t)best_mean;
    hit->t_ms = t_ms;
    k->hits++;
    remember_hit(k, t_ms);
    /* A fresh window after the cooldown: the same utterance must not trigger twice. */
    memset(k->post, 0, sizeof k->post);
    memset(k->sum, 0, sizeof k->sum);
    k->fill = 0;
    k->pos = 0;
    k->cooling = 1;
    k->cool_until_ms = t_ms + m->cooldown_ms;
    return 1;
}

int sg_kws_push_features(sg_kws_t *k, const int8_t *features, size_t n, uint32_t t_ms, sg_kws_hit_t *hit)
{
    const sg_kws_model_t *m = k->model;
    int got = 0;
    if (!m)
        return 0;
    while (n > 0) {
        size_t take = (size_t)(m->n_features - k->n_feat);
        if (take > n)
            take = n;
        memcpy(k->feat + k->n_feat, features, take);
        k->n_feat = (uint16_t)(k->n_feat + take);
        features += take;
        n -= take;
        if (k->n_feat < m->n_features)
            break;
        k->n_feat = 0;
        uint8_t post[SG_KWS_MAX_KEYWORDS];
        if (m->infer(m->model, k->feat, post) != 0) {
            k->errors++;
            continue;
        }
        sg_kws_hit_t h;
        if (sg_kws_push_posteriors(k, post, t_ms, &h) && !got) {
            *hit = h;
            got = 1;
        }
    }
    return got;
}

int sg_kws_local_alert_due(sg_kws_t *k, uint32_t t_ms, int link_up)
{
    if (link_up || !k->model)
        return 0;
    unsigned in_window = 0;
    for (unsigned i = 0; i < k->n_recent; i++)
        if (t_ms - k->hit_t[i] <= k->local_window_ms)
            in_window++;
    if (in_window < k->local_hits)
        return 0;
    k->n_recent = 0;
    return 1;
}
