import java.security.MessageDigest;
import java.util.Random;

/**
 * How fast one core of this machine computes the digests an upload needs (md5 for the checksum,
 * the multihash algorithm), with the JDK the node runs on: prints "ALGORITHM MiB/s" per line.
 * Run as {@code java bench/DigestRate.java MD5 SHA-512}.
 */
public class DigestRate {
    public static void main(String[] args) throws Exception {
        byte[] block = new byte[1 << 20];
        new Random(1).nextBytes(block);
        for (String algorithm : args) {
            MessageDigest digest = MessageDigest.getInstance(algorithm);
            for (int i = 0; i < 512; i++) {
                digest.update(block); // warm-up: compiled, intrinsics in place
            }
            int mib = 2048;
            long start = System.nanoTime();
            for (int i = 0; i < mib; i++) {
                digest.update(block);
            }
            digest.digest();
            System.out.printf("%s %.0f%n", algorithm, mib / ((System.nanoTime() - start) / 1e9));
        }
    }
}
