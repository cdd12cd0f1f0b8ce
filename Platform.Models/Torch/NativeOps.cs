namespace EmotionLab.Models.Torch;

// Op codes of the native dispatchers (elt_unary, elt_binary, ...); they must match native/*.cpp.

internal enum UnaryOp { Neg = 0, Exp, Log, Sqrt, Relu, Gelu, GeluTanh, Silu, Tanh, Sigmoid, Abs, Rsqrt, LogicalNot, IsNan, Square, Cos, Sin }

internal enum BinaryOp { Add = 0, Sub, Mul, Div, Pow, Matmul, Bmm, Maximum, Minimum, Eq, Ne, Lt, Le, Gt, Ge, LogicalAnd, LogicalOr, Mm }

internal enum ScalarOp { Add = 0, Sub = 1, Mul = 2, Div = 3, Pow = 4, Eq = 9, Ne = 10, Lt = 11, Le = 12, Gt = 13, Ge = 14, ReverseSub = 20, ReverseDiv = 21 }

internal enum InPlaceOp { AddScaled = 0, MulTensor, Copy, Fill, Zero, MulScalar, AddScalar, Uniform, Normal }

internal enum ReduceOp { Sum = 0, Mean, Max, Min, ArgMax, ArgMin, Var, Std }

internal enum ShapeOp { Reshape = 0, View, Permute, Expand }

internal enum FactoryKind { Empty = 0, Zeros, Ones, Full, Rand, Randn }
