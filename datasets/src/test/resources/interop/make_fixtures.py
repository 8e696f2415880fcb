# Writes the tiny interop fixtures LabelledEmbeddingsInteropTest reads: what pyarrow and NumPy
# write by default, so the readers are checked against files our own writer did not make.
# Run with pyarrow 25.0.1 and NumPy 2.4.6: python3 make_fixtures.py
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

ids = ["a", "b", "c", "d"]
x = np.array([[0.5, -1.25, 2.0], [0.0, 3.5, -0.125], [1e-3, -7.0, 0.25], [4.0, 0.75, -2.5]], dtype=np.float32)
# pyarrow's defaults: snappy, dictionary encoding, data page v1, list<item: float>.
pq.write_table(pa.table({"rid": ids, "bottleneck": pa.array(list(x), type=pa.list_(pa.float32()))}),
               "pyarrow-snappy.parquet")
# zstd, data page v2, float64 values, int64 ids.
pq.write_table(pa.table({"rid": pa.array([10, 20, 30, 40], type=pa.int64()),
                         "bottleneck": pa.array(list(x.astype(np.float64)), type=pa.list_(pa.float64()))}),
               "pyarrow-zstd-v2-f64.parquet", compression="zstd", data_page_version="2.0")
# A null vector in row 3.
pq.write_table(pa.table({"rid": ids, "bottleneck": pa.array([list(x[0]), list(x[1]), None, list(x[3])],
                                                            type=pa.list_(pa.float32()))}),
               "pyarrow-null-vector.parquet")
pq.write_table(pa.table({"rid": ids, "label": pa.array([1, 0, 0, 1], type=pa.int64()),
                         "evkey": ["m1", "m1", "m1", "m1"]}), "pyarrow-labels.parquet")
np.save("numpy-f32.npy", x)
