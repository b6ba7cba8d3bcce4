package dev.parley.tenant;

import java.util.List;

/** The configuration was refused; {@link #problems()} lists every reason, not only the first. */
public class TenantConfigException extends Exception {
  private final List<ConfigProblem> problems;

  public TenantConfigException(List<ConfigProblem> problems) {
    super(summary(problems));
    this.problems = List.copyOf(problems);
  }

  public List<ConfigProblem> problems() {
    return problems;
  }

  private static String summary(List<ConfigProblem> problems) {
    StringBuilder out =
        new StringBuilder("tenant config refused, ")
            .append(problems.size())
            .append(problems.size() == 1 ? " problem:" : " problems:");
    for (ConfigProblem problem : problems) {
      out.append("\n  ").append(problem);
    }
    return out.toString();
  }
}
