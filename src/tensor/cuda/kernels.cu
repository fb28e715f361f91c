// nnlearn's CUDA kernels, compiled once per process with NVRTC (see context.rs).
// Every elementwise kernel is a grid-stride loop; element indices are 64-bit.
// The arithmetic mirrors the CPU engine (src/tensor/ops.rs, reduce.rs, losses.rs)
// operation for operation, and the module is compiled with --fmad=false so that
// no multiply-add is contracted differently from the CPU.

typedef long long i64;
typedef unsigned char u8;

#define MAX_DIMS 8
#define MAX_OPERANDS 3
#define BLOCK 256

// A broadcast/strided view of up to three operands over one output shape
// (struct Dims in backend.rs; dims already coalesced by the host).
struct Dims {
    i64 ndim;
    i64 shape[MAX_DIMS];
    i64 strides[MAX_OPERANDS][MAX_DIMS];
    i64 offsets[MAX_OPERANDS];
};

__device__ __forceinline__ i64 operand_offset(const Dims &d, int k, i64 i) {
    if (d.ndim == 1) return d.offsets[k] + i * d.strides[k][0];
    i64 off = d.offsets[k];
    for (int j = (int)d.ndim - 1; j >= 0; --j) {
        i64 c = i % d.shape[j];
        i /= d.shape[j];
        off += c * d.strides[k][j];
    }
    return off;
}

#define GRID_STRIDE(i, n) \
    for (i64 i = (i64)blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += (i64)blockDim.x * gridDim.x)

template <typename T> __device__ __forceinline__ bool is_nan(T x) { return x != x; }
template <typename T> __device__ __forceinline__ T nan_of();
template <> __device__ __forceinline__ float nan_of<float>() { return __int_as_float(0x7fc00000); }
template <> __device__ __forceinline__ double nan_of<double>() { return __longlong_as_double(0x7ff8000000000000LL); }
template <typename T> __device__ __forceinline__ T inf_of();
template <> __device__ __forceinline__ float inf_of<float>() { return __int_as_float(0x7f800000); }
template <> __device__ __forceinline__ double inf_of<double>() { return __longlong_as_double(0x7ff0000000000000LL); }
template <typename T> __device__ __forceinline__ bool is_inf(T x) { return x == inf_of<T>() || x == -inf_of<T>(); }

// NaN-propagating max/min, as the CPU's max_f/min_f.
template <typename T> __device__ __forceinline__ T max_f(T a, T b) {
    if (is_nan(a) || is_nan(b)) return nan_of<T>();
    return a > b ? a : b;
}
template <typename T> __device__ __forceinline__ T min_f(T a, T b) {
    if (is_nan(a) || is_nan(b)) return nan_of<T>();
    return a < b ? a : b;
}

// ---------------------------------------------------------------- binary

// Op codes: keep in step with BinaryCode in backend.rs.
enum { ADD, SUB, MUL, DIV, FLOOR_DIV, REM, POW, MAXIMUM, MINIMUM, BIT_AND, BIT_OR, BIT_XOR };
enum { EQ, NE, LT, LE, GT, GE };

template <typename T> __device__ T rem_f(T a, T b) {
    T m = a - trunc(a / b) * b;
    if (m != (T)0 && ((m < (T)0) != (b < (T)0))) return m + b;
    return m;
}

template <typename T> __device__ T float_binary(int op, T x, T y) {
    switch (op) {
    case ADD: return x + y;
    case SUB: return x - y;
    case MUL: return x * y;
    case DIV: return x / y;
    case FLOOR_DIV: {
        if (y == (T)0) return x / y;
        T m = rem_f(x, y);
        T div = (x - m) / y;
        T fl = floor(div);
        return div - fl > (T)0.5 ? fl + (T)1 : fl;
    }
    case REM: return y == (T)0 ? nan_of<T>() : rem_f(x, y);
    case POW:
        if (y == (T)2) return x * x;
        if (y == (T)0.5) return sqrt(x);
        if (y == (T)1) return x;
        return pow(x, y);
    case MAXIMUM: return max_f(x, y);
    case MINIMUM: return min_f(x, y);
    default: return x;
    }
}

// err: 1 = integer division by zero.
__device__ i64 int_binary(int op, i64 x, i64 y, int *err) {
    switch (op) {
    case ADD: return (i64)((unsigned long long)x + (unsigned long long)y);
    case SUB: return (i64)((unsigned long long)x - (unsigned long long)y);
    case MUL: return (i64)((unsigned long long)x * (unsigned long long)y);
    case FLOOR_DIV: {
        if (y == 0) { atomicExch(err, 1); return 0; }
        if (y == -1) return (i64)(0ULL - (unsigned long long)x);
        i64 q = x / y;
        return (x % y != 0 && ((x < 0) != (y < 0))) ? q - 1 : q;
    }
    case REM: {
        if (y == 0) { atomicExch(err, 1); return 0; }
        if (y == -1) return 0;
        i64 r = x % y;
        return (r != 0 && ((r < 0) != (y < 0))) ? r + y : r;
    }
    case POW: {
        // PyTorch's powi: a negative exponent gives 0 except for bases 1 and -1
        // (the engine refuses a negative Python-number exponent before launching).
        if (y < 0) return x == 1 ? 1 : x == -1 ? ((y & 1) ? -1 : 1) : 0;
        unsigned long long result = 1, b = (unsigned long long)x;
        while (y > 0) {
            if (y & 1) result *= b;
            b *= b;
            y >>= 1;
        }
        return (i64)result;
    }
    case MAXIMUM: return x > y ? x : y;
    case MINIMUM: return x < y ? x : y;
    case BIT_AND: return x & y;
    case BIT_OR: return x | y;
    case BIT_XOR: return x ^ y;
    default: return x;
    }
}

__device__ u8 bool_binary(int op, u8 x, u8 y) {
    switch (op) {
    case ADD: case BIT_OR: case MAXIMUM: return x | y;
    case MUL: case BIT_AND: case MINIMUM: return x & y;
    case BIT_XOR: return x != y;
    default: return x;
    }
}

template <typename T> __device__ u8 compare(int op, T x, T y) {
    switch (op) {
    case EQ: return x == y;
    case NE: return x != y;
    case LT: return x < y;
    case LE: return x <= y;
    case GT: return x > y;
    default: return x >= y;
    }
}

#define BINARY_KERNEL(SUF, T, EXPR)                                                         \
    extern "C" __global__ void binary_##SUF(T *out, const T *a, const T *b, Dims d, i64 n,   \
                                            int op, int *err) {                            \
        GRID_STRIDE(i, n) {                                                                 \
            T x = a[operand_offset(d, 0, i)];                                               \
            T y = b[operand_offset(d, 1, i)];                                               \
            out[i] = EXPR;                                                                  \
        }                                                                                   \
    }                                                                                       \
    extern "C" __global__ void compare_##SUF(u8 *out, const T *a, const T *b, Dims d, i64 n, \
                                             int op) {                                     \
        GRID_STRIDE(i, n) {                                                                 \
            out[i] = compare(op, a[operand_offset(d, 0, i)], b[operand_offset(d, 1, i)]);   \
        }                                                                                   \
    }

BINARY_KERNEL(f32, float, float_binary(op, x, y))
BINARY_KERNEL(f64, double, float_binary(op, x, y))
BINARY_KERNEL(i64, i64, int_binary(op, x, y, err))
BINARY_KERNEL(u8, u8, bool_binary(op, x, y))

// ---------------------------------------------------------------- unary

// Op codes: keep in step with unary_code in backend.rs.
enum { NEG, ABS, EXP, LOG, LOG1P, SQRT, SIN, COS, TANH, SIGMOID, RELU, SIGN, ROUND,
       FLOOR, CEIL, TRUNC, FRAC, LOG10, LOG2, EXP2 };

template <typename T> __device__ T float_unary(int op, T x) {
    switch (op) {
    case NEG: return -x;
    case ABS: return fabs(x);
    case EXP: return exp(x);
    case LOG: return log(x);
    case LOG1P: return log1p(x);
    case SQRT: return sqrt(x);
    case SIN: return sin(x);
    case COS: return cos(x);
    case TANH: return tanh(x);
    case SIGMOID: return (T)1 / ((T)1 + exp(-x));
    case RELU: return (is_nan(x) || x > (T)0) ? x : (T)0;
    case SIGN: return x > (T)0 ? (T)1 : (x < (T)0 ? (T)-1 : x * (T)0);
    case ROUND: return rint(x);
    case FLOOR: return floor(x);
    case CEIL: return ceil(x);
    case TRUNC: return trunc(x);
    case FRAC: return x - trunc(x);
    case LOG10: return log10(x);
    case LOG2: return log2(x);
    case EXP2: return exp2(x);
    default: return x;
    }
}

__device__ i64 int_unary(int op, i64 x) {
    switch (op) {
    case NEG: return (i64)(0ULL - (unsigned long long)x);
    case ABS: return x < 0 ? (i64)(0ULL - (unsigned long long)x) : x;
    case RELU: return x > 0 ? x : 0;
    case SIGN: return (x > 0) - (x < 0);
    default: return x;
    }
}

#define UNARY_KERNEL(SUF, T, EXPR)                                                        \
    extern "C" __global__ void unary_##SUF(T *out, const T *a, Dims d, i64 n, int op) {  \
        GRID_STRIDE(i, n) {                                                               \
            T x = a[operand_offset(d, 0, i)];                                             \
            out[i] = EXPR;                                                                \
        }                                                                                 \
    }

UNARY_KERNEL(f32, float, float_unary(op, x))
UNARY_KERNEL(f64, double, float_unary(op, x))
UNARY_KERNEL(i64, i64, int_unary(op, x))
UNARY_KERNEL(u8, u8, x)

// ---------------------------------------------------------------- casts
// A strided gather with a dtype conversion: also how views become contiguous.

template <typename D, typename S> __device__ __forceinline__ D convert(S x) { return (D)x; }
template <> __device__ __forceinline__ u8 convert<u8, float>(float x) { return x != 0.0f; }
template <> __device__ __forceinline__ u8 convert<u8, double>(double x) { return x != 0.0; }
template <> __device__ __forceinline__ u8 convert<u8, i64>(i64 x) { return x != 0; }
// As x86-64's cvttsd2si on the CPU: NaN and out-of-range values give INT64_MIN.
template <> __device__ __forceinline__ i64 convert<i64, float>(float x) { return (is_nan(x) || fabsf(x) >= 9.2233720368547758e18f) ? (i64)(1ULL << 63) : __float2ll_rz(x); }
template <> __device__ __forceinline__ i64 convert<i64, double>(double x) { return (is_nan(x) || fabs(x) >= 9.2233720368547758e18) ? (i64)(1ULL << 63) : __double2ll_rz(x); }

#define CAST_KERNEL(SS, S, DS, D)                                                         \
    extern "C" __global__ void cast_##SS##_##DS(D *out, const S *a, Dims d, i64 n) {     \
        GRID_STRIDE(i, n) { out[i] = convert<D, S>(a[operand_offset(d, 0, i)]); }         \
    }
#define CAST_FROM(SS, S)         \
    CAST_KERNEL(SS, S, f32, float) \
    CAST_KERNEL(SS, S, f64, double) \
    CAST_KERNEL(SS, S, i64, i64)  \
    CAST_KERNEL(SS, S, u8, u8)
CAST_FROM(f32, float)
CAST_FROM(f64, double)
CAST_FROM(i64, i64)
CAST_FROM(u8, u8)

// ---------------------------------------------------------------- where

#define WHERE_KERNEL(SUF, T)                                                                 \
    extern "C" __global__ void where_##SUF(T *out, const u8 *c, const T *a, const T *b, Dims d, \
                                           i64 n) {                                          \
        GRID_STRIDE(i, n) {                                                                  \
            out[i] = c[operand_offset(d, 0, i)] ? a[operand_offset(d, 1, i)]                 \
                                                : b[operand_offset(d, 2, i)];                \
        }                                                                                    \
    }
WHERE_KERNEL(f32, float)
WHERE_KERNEL(f64, double)
WHERE_KERNEL(i64, i64)
WHERE_KERNEL(u8, u8)

// ---------------------------------------------------------------- reductions
// One block per output element; the input is viewed as [outer, len, inner] and
// reduced over `len`. Floats sum in double, as the CPU does.

enum { R_SUM, R_MEAN, R_PROD };

template <typename A> __device__ A block_sum(A v, A *buf) {
    buf[threadIdx.x] = v;
    __syncthreads();
    for (unsigned s = blockDim.x / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) buf[threadIdx.x] += buf[threadIdx.x + s];
        __syncthreads();
    }
    A r = buf[0];
    __syncthreads();
    return r;
}

template <typename A> __device__ A block_prod(A v, A *buf) {
    buf[threadIdx.x] = v;
    __syncthreads();
    for (unsigned s = blockDim.x / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) buf[threadIdx.x] *= buf[threadIdx.x + s];
        __syncthreads();
    }
    A r = buf[0];
    __syncthreads();
    return r;
}

// Sum/mean accumulate in A; prod multiplies in the element type (the CPU folds
// float32 products in float32). Integer sums and products wrap.
#define REDUCE_KERNEL(SUF, T, A)                                                            \
    extern "C" __global__ void reduce_##SUF(T *out, const T *x, i64 outer, i64 len, i64 inner, \
                                            int op) {                                       \
        __shared__ A sbuf[BLOCK];                                                            \
        __shared__ T pbuf[BLOCK];                                                            \
        i64 o = blockIdx.x;                                                                  \
        const T *base = x + (o / inner) * len * inner + (o % inner);                         \
        if (op == R_PROD) {                                                                  \
            T p = (T)1;                                                                      \
            for (i64 k = threadIdx.x; k < len; k += blockDim.x) p = p * base[k * inner];     \
            p = block_prod<T>(p, pbuf);                                                      \
            if (threadIdx.x == 0) out[o] = p;                                                \
            return;                                                                          \
        }                                                                                    \
        A s = (A)0;                                                                          \
        for (i64 k = threadIdx.x; k < len; k += blockDim.x) s = s + (A)base[k * inner];      \
        s = block_sum<A>(s, sbuf);                                                           \
        if (threadIdx.x == 0) out[o] = op == R_MEAN ? (T)s / (T)len : (T)s;                  \
    }

REDUCE_KERNEL(f32, float, double)
REDUCE_KERNEL(f64, double, double)
REDUCE_KERNEL(i64, i64, unsigned long long)

// The first extreme wins, and a NaN beats everything (PyTorch's max/argmax).
template <typename T> __device__ bool better(T x, i64 ix, T y, i64 iy, bool is_max) {
    if (is_nan(x) || is_nan(y)) {
        if (is_nan(x) && is_nan(y)) return ix < iy;
        return is_nan(x);
    }
    if (x == y) return ix < iy;
    return is_max ? x > y : x < y;
}

#define EXTREME_KERNEL(SUF, T)                                                                 \
    extern "C" __global__ void extreme_##SUF(T *vals, i64 *idxs, const T *x, i64 outer, i64 len, \
                                             i64 inner, int is_max) {                          \
        __shared__ T vbuf[BLOCK];                                                               \
        __shared__ i64 ibuf[BLOCK];                                                             \
        i64 o = blockIdx.x;                                                                     \
        const T *base = x + (o / inner) * len * inner + (o % inner);                            \
        T best = base[0];                                                                       \
        i64 bi = 0;                                                                             \
        for (i64 k = threadIdx.x; k < len; k += blockDim.x) {                                   \
            T v = base[k * inner];                                                              \
            if (better(v, k, best, bi, is_max)) { best = v; bi = k; }                           \
        }                                                                                       \
        vbuf[threadIdx.x] = best;                                                               \
        ibuf[threadIdx.x] = bi;                                                                 \
        __syncthreads();                                                                        \
        for (unsigned s = blockDim.x / 2; s > 0; s >>= 1) {                                     \
            if (threadIdx.x < s &&                                                              \
                better(vbuf[threadIdx.x + s], ibuf[threadIdx.x + s], vbuf[threadIdx.x],         \
                       ibuf[threadIdx.x], is_max)) {                                            \
                vbuf[threadIdx.x] = vbuf[threadIdx.x + s];                                      \
                ibuf[threadIdx.x] = ibuf[threadIdx.x + s];                                      \
            }                                                                                   \
            __syncthreads();                                                                    \
        }                                                                                       \
        if (threadIdx.x == 0) { vals[o] = vbuf[0]; idxs[o] = ibuf[0]; }                         \
    }

EXTREME_KERNEL(f32, float)
EXTREME_KERNEL(f64, double)
EXTREME_KERNEL(i64, i64)

// ---------------------------------------------------------------- softmax
// One block per row of the last dim, as losses.rs: m = max (0 if infinite),
// e = exp(x - m) in T, the sum of e in double, then x - m - log(sum) or e * (1 / sum).

#define SOFTMAX_KERNEL(SUF, T)                                                                  \
    extern "C" __global__ void softmax_##SUF(T *out, const T *x, i64 len, int log_out) {        \
        __shared__ T mbuf[BLOCK];                                                                \
        __shared__ double sbuf[BLOCK];                                                           \
        const T *row = x + (i64)blockIdx.x * len;                                                \
        T *orow = out + (i64)blockIdx.x * len;                                                   \
        T m = -inf_of<T>();                                                                      \
        for (i64 k = threadIdx.x; k < len; k += blockDim.x) m = max_f(m, row[k]);                \
        mbuf[threadIdx.x] = m;                                                                   \
        __syncthreads();                                                                         \
        for (unsigned s = blockDim.x / 2; s > 0; s >>= 1) {                                      \
            if (threadIdx.x < s) mbuf[threadIdx.x] = max_f(mbuf[threadIdx.x], mbuf[threadIdx.x + s]); \
            __syncthreads();                                                                     \
        }                                                                                        \
        m = mbuf[0];                                                                             \
        if (is_inf(m)) m = (T)0;                                                                  \
        double s = 0.0;                                                                          \
        for (i64 k = threadIdx.x; k < len; k += blockDim.x) s += (double)exp(row[k] - m);       \
        s = block_sum<double>(s, sbuf);                                                          \
        T sum = (T)s;                                                                            \
        if (log_out) {                                                                           \
            T ls = log(sum);                                                                     \
            for (i64 k = threadIdx.x; k < len; k += blockDim.x) orow[k] = row[k] - m - ls;       \
        } else {                                                                                 \
            T inv = (T)1 / sum;                                                                  \
            for (i64 k = threadIdx.x; k < len; k += blockDim.x) orow[k] = exp(row[k] - m) * inv; \
        }                                                                                        \
    }

SOFTMAX_KERNEL(f32, float)
SOFTMAX_KERNEL(f64, double)

// ---------------------------------------------------------------- losses

// Codes: keep in step with point_loss_code in backend.rs.
enum { L_MSE, L_HUBER, L_SMOOTH_L1, L_BCE, L_BCE_LOGITS };

template <typename T> __device__ T point_loss(int loss, T p, T x, T y, int *err) {
    T half = (T)0.5;
    switch (loss) {
    case L_MSE: return (x - y) * (x - y);
    case L_HUBER: {
        T z = fabs(x - y);
        return z < p ? half * z * z : p * (z - half * p);
    }
    case L_SMOOTH_L1: {
        T z = fabs(x - y);
        return z < p ? half * z * z / p : z - half * p;
    }
    case L_BCE: {
        if (!(x >= (T)0 && x <= (T)1)) atomicExch(err, 3);
        T lo = (T)-100;
        T l1 = max_f(log(x), lo);
        T l0 = max_f(log((T)1 - x), lo);
        return -(y * l1 + ((T)1 - y) * l0);
    }
    default: {
        T log_sig = min_f(x, (T)0) - log1p(exp(-fabs(x)));
        return ((T)1 - y) * x - log_sig;
    }
    }
}

#define LOSS_KERNEL(SUF, T)                                                                  \
    extern "C" __global__ void point_loss_##SUF(T *out, const T *x, const T *y, i64 n, int loss, \
                                                double param, int *err) {                    \
        GRID_STRIDE(i, n) { out[i] = point_loss<T>(loss, (T)param, x[i], y[i], err); }        \
    }                                                                                         \
    /* Per-row loss -x[c] * w[c] and weight; a target outside [0, classes) sets err = 4. */   \
    extern "C" __global__ void nll_rows_##SUF(T *loss, double *wsum, const T *x, const i64 *t, \
                                              const T *w, int has_w, i64 batch, i64 classes,  \
                                              i64 ignore, int *err) {                         \
        GRID_STRIDE(i, batch) {                                                               \
            i64 c = t[i];                                                                     \
            if (c == ignore) { loss[i] = (T)0; wsum[i] = 0.0; continue; }                     \
            if (c < 0 || c >= classes) { atomicExch(err, 4); loss[i] = (T)0; wsum[i] = 0.0; continue; } \
            double wc = has_w ? (double)w[c] : 1.0;                                           \
            loss[i] = (T)(-((double)x[i * classes + c] * wc));                                \
            wsum[i] = wc;                                                                     \
        }                                                                                     \
    }                                                                                         \
    /* One block: the sum of the row losses, divided by the total weight for a mean. */     \
    extern "C" __global__ void nll_reduce_##SUF(T *out, const T *loss, const double *wsum,    \
                                                i64 batch, int mean) {                        \
        __shared__ double buf[BLOCK];                                                         \
        double s = 0.0, w = 0.0;                                                              \
        for (i64 k = threadIdx.x; k < batch; k += blockDim.x) { s += (double)loss[k]; w += wsum[k]; } \
        s = block_sum<double>(s, buf);                                                        \
        w = block_sum<double>(w, buf);                                                        \
        if (threadIdx.x == 0) out[0] = mean ? (T)s / (T)w : (T)s;                              \
    }

LOSS_KERNEL(f32, float)
LOSS_KERNEL(f64, double)
