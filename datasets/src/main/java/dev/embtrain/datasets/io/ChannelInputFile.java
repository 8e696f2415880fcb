package dev.embtrain.datasets.io;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A Parquet {@link InputFile} over {@link Files#newByteChannel}, so a Parquet file is read from
 * any file system a path can name: the local disk, or S3 ({@code s3://bucket/key}, through
 * {@link dev.embtrain.datasets.io.s3.S3FileSystemProvider}), where Parquet's reads of the footer
 * and then of each column chunk become ranged GETs. (Parquet's own {@code LocalInputFile} needs
 * {@code Path.toFile()}, which only the default file system has.)
 */
final class ChannelInputFile implements InputFile {
    private final Path file;

    ChannelInputFile(Path file) {
        this.file = file;
    }

    @Override
    public long getLength() throws IOException {
        return Files.size(file);
    }

    @Override
    public SeekableInputStream newStream() throws IOException {
        SeekableByteChannel channel = Files.newByteChannel(file);
        return new DelegatingSeekableInputStream(Channels.newInputStream(channel)) {
            @Override
            public long getPos() throws IOException {
                return channel.position();
            }

            @Override
            public void seek(long newPos) throws IOException {
                channel.position(newPos);
            }
        };
    }

    @Override
    public String toString() {
        return file.toString();
    }
}
