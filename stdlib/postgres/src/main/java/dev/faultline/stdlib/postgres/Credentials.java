package dev.faultline.stdlib.postgres;

import java.util.Properties;

/**
 * A database user and its password. The password is never shown: {@link #toString()} leaves it
 * out, and it reaches child processes only through their environment ({@code PGPASSWORD}), never
 * their command line. {@code passwordEnv} names the environment variable it came from, empty when
 * it came from elsewhere (a local cluster's generated password); the fault journal stores that
 * name, never the password.
 */
record Credentials(String user, String password, String passwordEnv) {
  /** Connection properties for the PostgreSQL driver, with the session's {@code application_name}. */
  Properties properties(String applicationName) {
    Properties p = new Properties();
    p.setProperty("user", user);
    if (password != null && !password.isEmpty()) p.setProperty("password", password);
    p.setProperty("ApplicationName", applicationName);
    return p;
  }

  @Override
  public String toString() {
    return "user " + user + (passwordEnv.isEmpty() ? "" : " (password from $" + passwordEnv + ")");
  }
}
