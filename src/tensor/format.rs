//! PyTorch's default tensor formatting (torch/_tensor_str.py).
