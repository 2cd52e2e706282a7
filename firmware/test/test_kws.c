/* Keyword spotter decision logic with synthetic posteriors (no network needed). */
#include <string.h>
#include "sg_kws.h"
#include "sg_test.h"

/* A stand-in model whose "inference" returns posteriors chosen by the test: the first
 * feature byte selects keyword 1's posterior, so the feature path is exercised end to end. */
static int calls;
static int fake_infer(void *model, const int8_t *features, uint8_t *posteriors)
{
    (void)model;
    calls++;
    posteriors[0] = 0;
    posteriors[1] = (uint8_t)features[0] == 0x7F ? 250 : 0;
    return features[1] == -1 ? -1 : 0; /* second byte -1: simulate an inference error */
}

static const sg_kws_model_t model = { NULL, fake_infer, 2, 4, 4, 200, 1000 };

static void test_validation(void)
{
    sg_kws_t k;
    sg_kws_init(&k);
    sg_kws_model_t bad = model;
    CHECK(!sg_kws_active(&k), "inactive without model");
    uint8_t p[2] = { 255, 255 };
    sg_kws_hit_t h;
    CHECK(sg_kws_push_posteriors(&k, p, 0, &h) == 0, "no hits without a model");
    bad.window = SG_KWS_MAX_WINDOW + 1;
    CHECK(sg_kws_set_model(&k, &bad) == -1, "window too long rejected");
    bad = model;
    bad.infer = NULL;
    CHECK(sg_kws_set_model(&k, &bad) == -1, "missing infer rejected");
    bad = model;
    bad.n_keywords = 0;
    CHECK(sg_kws_set_model(&k, &bad) == -1, "no keywords rejected");
    CHECK(sg_kws_set_model(&k, &model) == 0 && sg_kws_active(&k), "model accepted");
    CHECK(sg_kws_set_local_alert(&k, 0, 30000) == -1, "0 hits rejected");
    CHECK(sg_kws_set_local_alert(&k, SG_KWS_MAX_LOCAL_HITS + 1, 30000) == -1, "too many hits rejected");
    CHECK(sg_kws_set_local_alert(&k, 3, 999) == -1, "short window rejected");
    CHECK(sg_kws_set_local_alert(&k, 3, SG_KWS_MAX_LOCAL_WINDOW_MS + 1) == -1, "long window rejected");
    CHECK(k.local_hits == 3 && k.local_window_ms == 30000, "defaults kept after rejects");
    CHECK(sg_kws_set_local_alert(&k, 2, 5000) == 0 && k.local_hits == 2 && k.local_window_ms == 5000, "accepted");
}

/* Feeds posterior p for keyword 1 at t_ms; returns 1 on a hit. */
static int feed(sg_kws_t *k, uint8_t p, uint32_t t_ms, sg_kws_hit_t *h)
{
    uint8_t post[2] = { 10, p };
    return sg_kws_push_posteriors(k, post, t_ms, h);
}

static void test_smoothing(void)
{
    sg_kws_t k;
    sg_kws_hit_t h;
    sg_kws_init(&k);
    sg_kws_set_model(&k, &model);
    /* One spike cannot trigger: mean over 4 of {255,0,0,0} = 63 < 200. */
    CHECK(feed(&k, 255, 0, &h) == 0, "spike");
    CHECK(feed(&k, 0, 30, &h) == 0 && feed(&k, 0, 60, &h) == 0 && feed(&k, 0, 90, &h) == 0, "zeros");
    /* Mean of {0,0,0,255}: 63; {0,0,255,255}: 127; {0,255,255,255}: 191 -> no hit yet. */
    CHECK(feed(&k, 255, 120, &h) == 0 && feed(&k, 255, 150, &h) == 0 && feed(&k, 255, 180, &h) == 0, "rising");
    /* {255,255,255,255}: 255 >= 200 -> hit on keyword 1 with score 255. */
    CHECK(feed(&k, 255, 210, &h) == 1, "sustained posterior hits");
    CHECK(h.id == 1 && h.score == 255 && h.t_ms == 210, "hit id=%u score=%u t=%u", h.id, h.score, (unsigned)h.t_ms);
    /* Exactly at the threshold counts: {200,200,200,200} after the cooldown. */
    CHECK(feed(&k, 200, 1210, &h) == 0 && feed(&k, 200, 1240, &h) == 0 && feed(&k, 200, 1270, &h) == 0, "refill");
    CHECK(feed(&k, 200, 1300, &h) == 1 && h.score == 200, "mean == threshold hits");
    CHECK(k.hits == 2, "two hits counted");
}

static void test_cooldown(void)
{
    sg_kws_t k;
    sg_kws_hit_t h;
    sg_kws_init(&k);
    sg_kws_set_model(&k, &model);
    for (uint32_t t = 0; t < 90; t += 30)
        CHECK(feed(&k, 250, t, &h) == 0, "filling");
    CHECK(feed(&k, 250, 90, &h) == 1, "first hit at 90");
    /* Loud posteriors keep coming, but nothing until 90 + 1000 ms. */
    int hits = 0;
    uint32_t t;
    for (t = 120; t < 1090; t += 30)
        hits += feed(&k, 250, t, &h);
    CHECK(hits == 0, "no hit during cooldown, got %d", hits);
    /* t = 1110: cooldown over, and the window was refilled during the cooldown. */
    CHECK(feed(&k, 250, t, &h) == 1 && h.t_ms == 1110, "hit right after cooldown (t=%u)", (unsigned)h.t_ms);
}

static void test_features_path(void)
{
    sg_kws_t k;
    sg_kws_hit_t h;
    int8_t quiet[4] = { 0, 0, 0, 0 }, loud[10] = { 0x7F, 0, 0, 0, 0x7F, 0, 0, 0, 0x7F, 0 };
    int8_t broken[4] = { 0x7F, -1, 0, 0 };
    sg_kws_init(&k);
    calls = 0;
    CHECK(sg_kws_push_features(&k, loud, 4, 0, &h) == 0 && calls == 0, "no model: infer never called");
    sg_kws_set_model(&k, &model);
    CHECK(sg_kws_push_features(&k, quiet, 4, 0, &h) == 0 && calls == 1, "one inference per 4 values");
    CHECK(sg_kws_push_features(&k, broken, 4, 10, &h) == 0 && k.errors == 1, "inference error counted");
    /* 10 values of "loud" in odd chunking: two inferences plus 2 left over. */
    CHECK(sg_kws_push_features(&k, loud, 3, 20, &h) == 0 && calls == 2, "partial stride waits");
    CHECK(sg_kws_push_features(&k, loud + 3, 7, 30, &h) == 0 && calls == 4, "two more inferences");
    /* Window now {0, 250, 250, ?}: finish the stride (loud[8..9] + 2 more) then one more. */
    int8_t tail[6] = { 0, 0, 0x7F, 0, 0, 0 };
    CHECK(sg_kws_push_features(&k, tail, 6, 40, &h) == 1 && h.id == 1, "hit through the feature path");
}

static void hit_at(sg_kws_t *k, uint32_t t_ms)
{
    sg_kws_hit_t h;
    for (uint32_t t = t_ms - 90; t < t_ms; t += 30)
        feed(k, 255, t, &h);
    CHECK(feed(k, 255, t_ms, &h) == 1, "hit at %u", (unsigned)t_ms);
}

static void test_local_alert(void)
{
    sg_kws_t k;
    sg_kws_init(&k);
    CHECK(sg_kws_local_alert_due(&k, 0, 0) == 0, "no model, no local alert");
    sg_kws_set_model(&k, &model);
    sg_kws_set_local_alert(&k, 3, 10000);
    hit_at(&k, 1000);
    CHECK(sg_kws_local_alert_due(&k, 1000, 1) == 0, "link up: never");
    hit_at(&k, 5000);
    CHECK(sg_kws_local_alert_due(&k, 5000, 1) == 0, "link up: never");
    /* Link down: the third hit within 10 s raises it; hits heard while linked count too. */
    hit_at(&k, 9000);
    CHECK(sg_kws_local_alert_due(&k, 9000, 0) == 1, "3 hits in [-1000, 9000]");
    /* The alert consumed its hits: counting starts again. */
    hit_at(&k, 12000);
    CHECK(sg_kws_local_alert_due(&k, 12000, 0) == 0, "1 hit after the alert");
    hit_at(&k, 15000);
    CHECK(sg_kws_local_alert_due(&k, 15000, 0) == 0, "2 hits");
    hit_at(&k, 19000);
    CHECK(sg_kws_local_alert_due(&k, 19000, 0) == 1, "12000, 15000, 19000 within 10 s");
    /* A hit older than the window does not count: 30000 is 11 s before 41000. */
    hit_at(&k, 30000);
    hit_at(&k, 35000);
    hit_at(&k, 41000);
    CHECK(sg_kws_local_alert_due(&k, 41000, 0) == 0, "only 35000 and 41000 inside the window");
    hit_at(&k, 42000);
    CHECK(sg_kws_local_alert_due(&k, 42000, 0) == 1, "35000, 41000, 42000");
}

int main(void)
{
    test_validation();
    test_smoothing();
    test_cooldown();
    test_features_path();
    test_local_alert();
    return sg_test_summary("test_kws");
}
