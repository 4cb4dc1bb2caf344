package dev.goldsmith.emulator.api;

import jakarta.enterprise.context.RequestScoped;

import dev.goldsmith.emulator.state.Project;

/** What the request filter learned about the current request. */
@RequestScoped
public class RequestContext {
  private Project project;
  private String forcedActionError;

  public Project project() {
    if (project == null) {
      throw new ApiException(401, "unauthorized", "unable to authenticate", null);
    }
    return project;
  }

  void project(Project project) {
    this.project = project;
  }

  /** Message with which actions created by this request must fail (fault injection), or null. */
  public String forcedActionError() {
    return forcedActionError;
  }

  void forcedActionError(String message) {
    this.forcedActionError = message;
  }
}
