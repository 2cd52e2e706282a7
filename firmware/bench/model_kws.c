/* Links the committed keyword model into firmware-bench (the bench's weak hook). */
#include "sg_kws_model.h"

const sg_kws_model_t *sg_bench_kws_model(void);

const sg_kws_model_t *sg_bench_kws_model(void)
{
    return sg_kws_model_get();
}
