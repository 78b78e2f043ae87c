package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * How an {@code sftp://user@host[:port]/path} prefix authenticates and checks the server's host
 * key. The user comes from the prefix URI; secrets are references ({@code ${env:…}}, {@code
 * ${file:…}}), resolved on the worker, so nothing secret enters workflow history.
 *
 * @param password a secret reference to the user's password, or null
 * @param privateKey a secret reference to an OpenSSH or PEM private key (unencrypted), or null
 * @param knownHosts a secret reference to {@code known_hosts} lines the server's key must match;
 *     required unless {@code insecureAcceptAnyHostKey}
 * @param insecureAcceptAnyHostKey accept whatever key the server shows (default false): for the
 *     sandbox and tests only, as it lets anyone on the path impersonate the server
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SftpSpec(
    String password, String privateKey, String knownHosts, Boolean insecureAcceptAnyHostKey) {

  public SftpSpec {
    insecureAcceptAnyHostKey = insecureAcceptAnyHostKey != null && insecureAcceptAnyHostKey;
  }
}
