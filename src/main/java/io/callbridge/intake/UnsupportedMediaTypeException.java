package io.callbridge.intake;

public class UnsupportedMediaTypeException extends Exception {
    public UnsupportedMediaTypeException(String message) {
        super(message);
    }
}
