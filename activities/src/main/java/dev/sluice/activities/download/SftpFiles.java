package dev.sluice.activities.download;

import dev.sluice.activities.secrets.SecretResolver;
import dev.sluice.activities.template.Templates;
import dev.sluice.pipeline.FilesSource;
import dev.sluice.pipeline.SftpSpec;
import dev.sluice.workflows.activities.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * {@code sftp://user@host[:port]/path} prefixes over Apache MINA SSHD's SFTP client: lists a remote
 * directory and opens remote files as streams. Hadoop's own {@code SFTPFileSystem} cannot be used:
 * in {@code hadoop-client-api} it imports a relocated JSch that {@code hadoop-client-runtime} does
 * not ship.
 *
 * <p>One SSH session per activity call (a listing, or one file), closed with it: sessions are cheap
 * next to a transfer, and none is left open between activities. One instance per worker.
 */
final class SftpFiles implements AutoCloseable {
  static final String SCHEME = "sftp";

  /** A server that accepts TCP but never answers is a transient outage, not a hang. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

  static final Duration AUTH_TIMEOUT = Duration.ofSeconds(30);

  private static final AttributeRepository.AttributeKey<ServerKeyVerifier> VERIFIER =
      new AttributeRepository.AttributeKey<>();

  private final SecretResolver secrets;
  private final Object lock = new Object();
  private SshClient client;

  SftpFiles(SecretResolver secrets) {
    this.secrets = secrets;
  }

  /** Whether {@code uri} is an {@code sftp://} URI. */
  static boolean handles(String uri) {
    return uri != null && uri.regionMatches(true, 0, SCHEME + "://", 0, SCHEME.length() + 3);
  }

  /** Where an sftp URI points: user, host, port (22 by default) and the decoded absolute path. */
  record Remote(String user, String host, int port, String path) {
    static Remote parse(String uri) {
      URI u;
      try {
        u = new URI(uri);
      } catch (URISyntaxException e) {
        throw invalid("'" + uri + "' is not a valid sftp URI: " + e.getMessage());
      }
      if (u.getHost() == null || u.getUserInfo() == null || u.getUserInfo().isEmpty()) {
        throw invalid("an sftp prefix needs a user and a host: sftp://user@host[:port]/path");
      }
      String user = u.getUserInfo();
      if (user.contains(":")) {
        throw invalid(
            "an sftp prefix names the user only; give the password as source.sftp.password");
      }
      String path = u.getPath() == null || u.getPath().isEmpty() ? "/" : u.getPath();
      return new Remote(user, u.getHost(), u.getPort() < 0 ? 22 : u.getPort(), path);
    }

    /** The URI of {@code absolutePath} on this server. */
    String uriOf(String absolutePath) {
      try {
        return new URI(SCHEME, user, host, port, absolutePath, null, null).toString();
      } catch (URISyntaxException e) {
        throw new IllegalStateException("cannot make a URI of " + absolutePath, e);
      }
    }

    /** {@code user@host:port}, for messages: never a secret. */
    String who() {
      return user + "@" + host + ":" + port;
    }
  }

  /** A listed remote file. */
  record Entry(String path, long size, long modifiedMillis) {}

  /**
   * The regular files under {@code remote.path()}, keyed by path relative to it, sorted.
   *
   * @param descend whether to list sub-directories too; {@code skip} says which relative paths
   *     (files or directories) are left out
   * @throws ApplicationFailure non-retryable {@link FailureType#FILE_NOT_FOUND} when the
   *     directory does not exist; non-retryable {@link FailureType#AUTH_FAILED} when the server
   *     refuses the credentials or its host key does not match; an {@link UncheckedIOException}
   *     (retried) when the server cannot be reached
   */
  TreeMap<String, Entry> list(
      FilesSource source, boolean descend, java.util.function.Predicate<String> skip) {
    Remote remote = Remote.parse(source.prefix());
    String root = remote.path().endsWith("/") ? remote.path() : remote.path() + "/";
    TreeMap<String, Entry> found = new TreeMap<>();
    try (ClientSession session = connect(source, remote);
        SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
      Deque<String> dirs = new ArrayDeque<>(List.of(""));
      while (!dirs.isEmpty()) {
        String dir = dirs.pop();
        List<SftpClient.DirEntry> entries = new java.util.ArrayList<>();
        try {
          // readDir is lazy: a missing directory fails on the first read, wrapped unchecked by
          // the iterator, so read it all here and unwrap.
          try {
            sftp.readDir(root + dir).forEach(entries::add);
          } catch (UncheckedIOException wrapped) {
            throw wrapped.getCause();
          }
        } catch (SftpException e) {
          if (dir.isEmpty() && e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
            throw ApplicationFailure.newNonRetryableFailure(
                "source.prefix " + source.prefix() + " does not exist on " + remote.who(),
                FailureType.FILE_NOT_FOUND.type());
          }
          throw e;
        }
        for (SftpClient.DirEntry e : entries) {
          String name = e.getFilename();
          if (name.equals(".") || name.equals("..")) {
            continue;
          }
          String relative = dir + name;
          SftpClient.Attributes a = e.getAttributes();
          if (a.isDirectory()) {
            if (descend && !skip.test(relative)) {
              dirs.push(relative + "/");
            }
          } else if (a.isRegularFile() && !skip.test(relative)) {
            long modified = a.getModifyTime() == null ? 0 : a.getModifyTime().toMillis();
            found.put(relative, new Entry(remote.uriOf(root + relative), a.getSize(), modified));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "listing " + remote.uriOf(root) + " failed: " + e.getMessage(), e);
    }
    return found;
  }

  /**
   * Opens the remote file at {@code uri}; closing the stream closes its session.
   *
   * @return null when the file is gone from the server
   * @throws ApplicationFailure non-retryable {@link FailureType#AUTH_FAILED} as {@link #list}
   */
  InputStream open(FilesSource source, String uri) {
    Remote remote = Remote.parse(uri);
    ClientSession session = connect(source, remote);
    try {
      SftpClient sftp = SftpClientFactory.instance().createSftpClient(session);
      InputStream in;
      try {
        in = sftp.read(remote.path());
      } catch (SftpException e) {
        sftp.close();
        session.close();
        if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
          return null;
        }
        throw e;
      }
      return new FilterInputStream(in) {
        @Override
        public void close() throws IOException {
          try (session;
              sftp) {
            super.close();
          }
        }
      };
    } catch (IOException e) {
      try {
        session.close();
      } catch (IOException ignored) {
        // the open failure is the one to report
      }
      throw new UncheckedIOException("cannot open " + uri + ": " + e.getMessage(), e);
    }
  }

  private ClientSession connect(FilesSource source, Remote remote) {
    SftpSpec spec = source.sftp() == null ? new SftpSpec(null, null, null, false) : source.sftp();
    ServerKeyVerifier verifier = verifier(spec, remote);
    ClientSession session;
    try {
      session =
          client()
              .connect(
                  remote.user(),
                  remote.host(),
                  remote.port(),
                  AttributeRepository.ofKeyValuePair(VERIFIER, verifier),
                  null)
              .verify(CONNECT_TIMEOUT)
              .getSession();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot connect to " + remote.who() + ": " + e.getMessage(), e);
    }
    try {
      if (spec.password() != null) {
        session.addPasswordIdentity(secret(spec.password()));
      }
      if (spec.privateKey() != null) {
        for (KeyPair key : privateKeys(spec.privateKey(), remote)) {
          session.addPublicKeyIdentity(key);
        }
      }
      session.auth().verify(AUTH_TIMEOUT);
      return session;
    } catch (IOException e) {
      closeQuietly(session);
      if (e instanceof SshException && !transientLoginFailure(e)) {
        // Refused credentials or host key: another attempt gets the same answer.
        throw ApplicationFailure.newNonRetryableFailure(
            "SFTP server "
                + remote.host()
                + ":"
                + remote.port()
                + " refused user '"
                + remote.user()
                + "': "
                + e.getMessage()
                + " (check source.sftp's password, privateKey and knownHosts)",
            FailureType.AUTH_FAILED.type());
      }
      throw new UncheckedIOException("cannot log in to " + remote.who() + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(session);
      throw e;
    }
  }

  /** A cut connection or a server too slow to answer: worth another attempt, unlike a refusal. */
  private static boolean transientLoginFailure(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.SocketException
          || t instanceof java.util.concurrent.TimeoutException
          || t instanceof java.io.EOFException
          || (t.getMessage() != null && t.getMessage().contains("within specified timeout"))) {
        return true;
      }
    }
    return false;
  }

  private ServerKeyVerifier verifier(SftpSpec spec, Remote remote) {
    if (spec.insecureAcceptAnyHostKey()) {
      return AcceptAllServerKeyVerifier.INSTANCE;
    }
    if (spec.knownHosts() == null) {
      throw invalid(
          "source.sftp needs knownHosts (a secret reference to known_hosts lines for "
              + remote.host()
              + "), or insecureAcceptAnyHostKey: true for a sandbox");
    }
    List<KnownHostEntry> entries;
    try {
      entries =
          KnownHostEntry.readKnownHostEntries(new StringReader(secret(spec.knownHosts())), true);
    } catch (IOException e) {
      throw invalid("source.sftp.knownHosts cannot be read: " + e.getMessage());
    }
    return (session, address, key) -> {
      for (KnownHostEntry entry : entries) {
        if (!entry.isHostMatch(remote.host(), remote.port()) || entry.getKeyEntry() == null) {
          continue;
        }
        try {
          PublicKey known =
              entry
                  .getKeyEntry()
                  .resolvePublicKey(session, Map.of(), PublicKeyEntryResolver.IGNORING);
          if (known != null && KeyUtils.compareKeys(known, key)) {
            return true;
          }
        } catch (IOException | GeneralSecurityException e) {
          // an unreadable line matches nothing; the others may still match
        }
      }
      return false;
    };
  }

  private Iterable<KeyPair> privateKeys(String reference, Remote remote) throws IOException {
    try {
      Iterable<KeyPair> keys =
          SecurityUtils.loadKeyPairIdentities(
              null,
              NamedResource.ofName("source.sftp.privateKey"),
              new ByteArrayInputStream(secret(reference).getBytes(StandardCharsets.UTF_8)),
              null);
      if (keys == null) {
        throw invalid("source.sftp.privateKey holds no private key");
      }
      return keys;
    } catch (GeneralSecurityException e) {
      throw invalid(
          "source.sftp.privateKey for " + remote.who() + " cannot be read: " + e.getMessage());
    }
  }

  private String secret(String reference) {
    return Templates.render(reference, Map.of(), secrets);
  }

  private SshClient client() {
    synchronized (lock) {
      if (client == null) {
        client = SshClient.setUpDefaultClient();
        // Only what the pipeline gives: no ~/.ssh/config, no keys of the worker's own user.
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        // Each connection carries its source's verifier from the start, before key exchange; a
        // verifier set on the session after connect() would race the exchange.
        client.setServerKeyVerifier(
            (session, address, key) -> {
              AttributeRepository context = session.getConnectionContext();
              ServerKeyVerifier own = context == null ? null : context.getAttribute(VERIFIER);
              return own != null && own.verifyServerKey(session, address, key);
            });
        client.start();
      }
      return client;
    }
  }

  private static void closeQuietly(ClientSession session) {
    try {
      session.close();
    } catch (IOException ignored) {
      // the failure being reported is the one that matters
    }
  }

  private static ApplicationFailure invalid(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureType.INVALID_PIPELINE.type());
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (client != null) {
        client.stop();
        client = null;
      }
    }
  }
}
