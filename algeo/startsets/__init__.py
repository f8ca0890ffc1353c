"""startsets"""
