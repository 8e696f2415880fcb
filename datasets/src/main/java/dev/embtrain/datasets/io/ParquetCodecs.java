package dev.embtrain.datasets.io;

import com.github.luben.zstd.Zstd;
import io.airlift.compress.lz4.Lz4Compressor;
import io.airlift.compress.lz4.Lz4Decompressor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * Parquet page codecs without Hadoop: Parquet-MR's own factory builds a Hadoop
 * {@code Configuration} for every codec but "uncompressed", which needs the 30 MB
 * hadoop-client-runtime (XML parser and all) on the classpath. The libraries that do the work
 * (snappy-java, zstd-jni, aircompressor) already come with parquet-hadoop; gzip is the JDK's.
 */
public final class ParquetCodecs implements CompressionCodecFactory {
    /** The one factory, stateless, that the Parquet readers and writers here share. */
    public static final ParquetCodecs INSTANCE = new ParquetCodecs();

    private ParquetCodecs() {}

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        return new BytesInputCompressor() {
            @Override
            public BytesInput compress(BytesInput bytes) throws IOException {
                byte[] in = bytes.toByteArray();
                return BytesInput.from(ParquetCodecs.compress(codec, in));
            }

            @Override
            public CompressionCodecName getCodecName() {
                return codec;
            }

            @Override
            public void release() {}
        };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        return new BytesInputDecompressor() {
            @Override
            public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
                return BytesInput.from(ParquetCodecs.decompress(codec, bytes.toByteArray(), uncompressedSize));
            }

            @Override
            public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
                    throws IOException {
                byte[] in = new byte[compressedSize];
                input.get(in);
                output.put(ParquetCodecs.decompress(codec, in, uncompressedSize));
            }

            @Override
            public void release() {}
        };
    }

    @Override
    public void release() {}

    static byte[] compress(CompressionCodecName codec, byte[] in) throws IOException {
        switch (codec) {
            case UNCOMPRESSED:
                return in;
            case SNAPPY:
                return Snappy.compress(in);
            case ZSTD:
                return Zstd.compress(in, 3);
            case GZIP: {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                    gz.write(in);
                }
                return out.toByteArray();
            }
            case LZ4_RAW: {
                Lz4Compressor c = new Lz4Compressor();
                byte[] out = new byte[c.maxCompressedLength(in.length)];
                int n = c.compress(in, 0, in.length, out, 0, out.length);
                return Arrays.copyOf(out, n);
            }
            default:
                throw new IOException("Parquet codec " + codec + " is not supported for writing");
        }
    }

    static byte[] decompress(CompressionCodecName codec, byte[] in, int size) throws IOException {
        byte[] out;
        switch (codec) {
            case UNCOMPRESSED:
                out = in;
                break;
            case SNAPPY:
                out = Snappy.uncompress(in);
                break;
            case ZSTD:
                out = Zstd.decompress(in, size);
                break;
            case GZIP:
                try (GZIPInputStream gz = new GZIPInputStream(new ByteArrayInputStream(in))) {
                    out = gz.readAllBytes();
                }
                break;
            case LZ4_RAW: {
                out = new byte[size];
                int n = new Lz4Decompressor().decompress(in, 0, in.length, out, 0, size);
                if (n != size) {
                    throw new IOException("LZ4_RAW page decompressed to " + n + " bytes, expected " + size);
                }
                break;
            }
            default:
                throw new IOException("Parquet codec " + codec + " is not supported (uncompressed, snappy, gzip,"
                        + " zstd and lz4_raw are)");
        }
        if (out.length != size) {
            throw new IOException(codec + " page decompressed to " + out.length + " bytes, expected " + size);
        }
        return out;
    }
}
