package dev.goldsmith.emulator.state;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/** A snapshot or backup of one project (system images live in the catalog). */
public class ImageState {
  public long id;
  public String type;
  public String status;
  public String description;
  public Double imageSize;
  public double diskSize;
  public OffsetDateTime created;
  public Long createdFromId;
  public String createdFromName;
  public Long boundTo;
  public String osFlavor;
  public String osVersion;
  public String architecture;

  /** Name of the system image at the root of this image's chain (e.g. debian-12). */
  public String systemImageName;

  public boolean protectDelete;
  public Map<String, String> labels = new LinkedHashMap<>();
}
