package dev.occam.core.container;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.occam.core.CorruptInputException;
import dev.occam.core.codec.BlockCodec;
import dev.occam.core.codec.Codec;
import dev.occam.core.codec.CodecOptions;
import dev.occam.core.codec.CodecRegistry;
import dev.occam.core.codec.OccCodec;
import dev.occam.core.codec.OccamCompressorStreamProvider;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;
import org.junit.jupiter.api.Test;

/** The Commons Compress provider, found through CompressorStreamFactory's service lookup. */
class OccamCompressorStreamProviderTest {
    @Test
    void registeredForOccInput() {
        CompressorStreamFactory f = new CompressorStreamFactory();
        assertInstanceOf(OccamCompressorStreamProvider.class, f.getCompressorInputStreamProviders().get("OCC"));
        for (Codec c : CodecRegistry.getDefault().all()) {
            if (c instanceof OccCodec o) {
                String key = o.blockCodec().id().toUpperCase(java.util.Locale.ROOT);
                assertInstanceOf(OccamCompressorStreamProvider.class, f.getCompressorOutputStreamProviders().get(key), key);
            }
        }
    }

    @Test
    void unknownCodecInFrameIsReported() throws IOException {
        byte[] frame = Frames.encode(new TestCodecs.Renamed("zz-not-registered"), TestCodecs.options(16, 1), new byte[40], -1);
        CompressorException e = assertThrows(CompressorException.class,
                () -> new CompressorStreamFactory().createCompressorInputStream("occ", new ByteArrayInputStream(frame)));
        assertTrue(e.getMessage().contains("zz-not-registered"), e.getMessage());
        assertInstanceOf(CorruptInputException.class, e.getCause());
        assertThrows(CompressorException.class,
                () -> new CompressorStreamFactory().createCompressorOutputStream("zz-not-registered", new ByteArrayOutputStream()));
    }

    @Test
    void roundTripWithO2() throws Exception {
        BlockCodec codec = CodecRegistry.getDefault().blockCodec("o2");
        assertNotNull(codec, "o2 is not registered (META-INF/services/dev.occam.core.codec.BlockCodec)");
        byte[] data = Frames.mixed(300_000, 8);
        CompressorStreamFactory f = new CompressorStreamFactory();
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = f.createCompressorOutputStream(codec.id(), sink)) {
            out.write(data, 0, 1000);
            for (int i = 1000; i < 2000; i++) out.write(data[i]);
            out.write(data, 2000, data.length - 2000);
        }
        byte[] frame = sink.toByteArray();
        assertTrue(OccInputStream.matchesMagic(frame, frame.length));
        assertEquals(codec.id(), OccInputStream.scan(new ByteArrayInputStream(frame)).header().codecId());
        try (InputStream in = f.createCompressorInputStream("occ", new ByteArrayInputStream(frame))) {
            assertArrayEquals(data, in.readAllBytes());
        }
        assertArrayEquals(data, Frames.decode(frame, CodecRegistry.getDefault()::blockCodec, CodecOptions.defaults()));
    }
}
