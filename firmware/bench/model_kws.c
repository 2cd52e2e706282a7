/* Links the committed keyword model into firmware-bench (the bench's weak hooks) and times
 * each of its layers, so a model change shows where the instructions go. */
#include <stdio.h>
#include "bench_instret.h"
#include "sg_kws_model.h"

const sg_kws_model_t *sg_bench_kws_model(void);
void sg_bench_kws_report(void);

#define MAX_LAYERS 32
static uint64_t g_layer_instr[MAX_LAYERS];
static uint32_t g_runs, g_mark;

static void on_layer(int layer)
{
    uint32_t now = instret();
    if (layer < 0)
        g_runs++;
    else if (layer < MAX_LAYERS)
        g_layer_instr[layer] += now - g_mark;
    g_mark = instret(); /* the hook's own cost stays out of the next layer */
}

const sg_kws_model_t *sg_bench_kws_model(void)
{
    sg_kws_model_layer_hook = on_layer;
    return sg_kws_model_get();
}

void sg_bench_kws_report(void)
{
    static const char *const ops[] = { "?", "conv", "dwconv", "avgpool", "maxpool", "fc", "softmax" };
    const sg_kws_graph_t *g = &sg_kws_graph;
    if (!g_runs)
        return;
    printf("kws model %s: %lu inferences (one per %u frames), instructions per inference by layer\n", g->version,
           (unsigned long)g_runs, (unsigned)g->stride_frames);
    printf("%-5s %-8s %-14s %-14s %10s %9s %9s %5s\n", "layer", "op", "in", "out", "instr", "MACs", "instr/MAC", "rows");
    uint64_t sum = 0;
    for (int i = 0; i < g->n_layers && i < MAX_LAYERS; i++) {
        const sg_kws_layer_t *L = &g->layers[i];
        uint32_t instr = (uint32_t)(g_layer_instr[i] / g_runs);
        uint32_t macs = 0;
        const uint32_t rows = (uint32_t)sg_kws_model_new_rows(i); /* streamed layers: the new rows only */
        if (L->op == SG_KWS_OP_CONV2D)
            macs = rows * L->out.w * L->out.c * L->win.kh * L->win.kw * L->in.c;
        else if (L->op == SG_KWS_OP_DWCONV2D)
            macs = rows * L->out.w * L->out.c * L->win.kh * L->win.kw;
        else if (L->op == SG_KWS_OP_FC)
            macs = (uint32_t)L->in.h * L->in.w * L->in.c * L->out.c;
        char in[24], out[24];
        snprintf(in, sizeof in, "%dx%dx%d", L->in.h, L->in.w, L->in.c);
        snprintf(out, sizeof out, "%dx%dx%d", L->out.h, L->out.w, L->out.c);
        printf("%-5d %-8s %-14s %-14s %10lu %9lu", i, L->op < 7 ? ops[L->op] : "?", in, out, (unsigned long)instr,
               (unsigned long)macs);
        if (macs)
            printf(" %9.2f", (double)instr / macs);
        else
            printf(" %9s", "");
        printf(" %2u/%-2d\n", (unsigned)rows, L->out.h);
        sum += instr;
    }
    printf("%-44s %10lu\n", "total per inference", (unsigned long)sum);
}
